//! The media types of every item the workspace puts into an evidence envelope, in one place
//! so that every crate writes the same names. `docs/evidence-format.md` has the table.
//!
//! Registered types are used where they exist; the rest live in the `application/vnd.attester.*`
//! tree. The platform types are reserved here for the platform backends that will emit them.

/// The mock backend's EAT (a COSE_Sign1-wrapped CWT, signed by the NOT SECURE mock key).
/// Carried with `ind` 4: `application/eat+cwt` alone does not say that it is evidence.
pub const MOCK_EAT: &str =
    "application/eat+cwt; eat_profile=\"tag:github.com,2026:attester-rs/attester/mock/v1\"";
/// The EAT profile of the mock backend's tokens (the `eat_profile` parameter of [`MOCK_EAT`]).
pub const MOCK_EAT_PROFILE: &str = "tag:github.com,2026:attester-rs/attester/mock/v1";
/// One DER X.509 certificate (RFC 2585); endorsements such as a VCEK or an AK certificate.
pub const PKIX_CERT: &str = "application/pkix-cert";
/// The binding record of a JSON evidence envelope.
pub const BINDING_JSON: &str = "application/vnd.attester.binding+json";
/// The binding record of a CBOR evidence envelope.
pub const BINDING_CBOR: &str = "application/vnd.attester.binding+cbor";
/// An AMD SEV-SNP ATTESTATION_REPORT, exactly as the firmware wrote it (reserved for the SNP
/// backend).
pub const SNP_REPORT: &str = "application/vnd.attester.snp-report";
/// The SEV-SNP extended-report certificate table (GUID-indexed entries and the certificates
/// they point to), as the host supplied it (reserved for the SNP backend).
pub const SNP_CERTS: &str = "application/vnd.attester.snp-certs";
/// An Intel TDX quote (version 4 or 5), as the quoting enclave produced it (reserved for the
/// TDX backend).
pub const TDX_QUOTE: &str = "application/vnd.attester.tdx-quote";
/// An Intel TDX TDREPORT (the 1024-byte local report, MAC-protected only) (reserved for the
/// TDX backend).
pub const TDX_TDREPORT: &str = "application/vnd.attester.tdx-tdreport";
/// The TDX Confidential Computing Event Log (CCEL ACPI table data) (reserved for the TDX
/// backend).
pub const CCEL: &str = "application/vnd.attester.ccel";
/// The Arm CCA attestation token as RMM produced it (the tag 399 or tag 907 collection of the
/// platform and realm tokens) (reserved for the CCA backend).
///
/// No media type is registered for the whole token (`notes/cca.md` §5: content formats were
/// requested but not assigned); this is the one the Veraison verification service accepts for
/// it. The profile value must be quoted: it is not an RFC 9110 token.
pub const CCA_TOKEN: &str = "application/eat-collection; profile=\"http://arm.com/CCA-SSD/1.0.0\"";
/// A TPM 2.0 quote: a CBOR map of the TPMS_ATTEST, the TPMT_SIGNATURE and the AK's TPM2B_PUBLIC,
/// each as the TPM marshalled it (reserved for the TPM backend, which defines the keys).
pub const TPM_QUOTE: &str = "application/vnd.attester.tpm-quote";
/// A TCG PC Client event log (crypto-agile format), as firmware wrote it (reserved for the TPM
/// backend).
pub const TCG_EVENT_LOG: &str = "application/vnd.attester.tcg-eventlog";

/// Every media type above, for tests and for tools that list them.
pub const ALL: [&str; 12] = [
    MOCK_EAT,
    PKIX_CERT,
    BINDING_JSON,
    BINDING_CBOR,
    SNP_REPORT,
    SNP_CERTS,
    TDX_QUOTE,
    TDX_TDREPORT,
    CCEL,
    CCA_TOKEN,
    TPM_QUOTE,
    TCG_EVENT_LOG,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmw::check_media_type;

    #[test]
    fn every_media_type_is_a_valid_content_type() {
        for media_type in ALL {
            assert_eq!(check_media_type(media_type), Ok(()), "{media_type}");
        }
    }

    #[test]
    fn mock_eat_names_its_profile() {
        assert!(MOCK_EAT.contains(&format!("eat_profile=\"{MOCK_EAT_PROFILE}\"")));
    }
}

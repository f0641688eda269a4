//! The TPM vectors: the swtpm quotes verify with their AK files (TPM2B_PUBLIC and PEM), the
//! GCE attestation's three quotes verify with its AK, nonce and AK certificate chain, and each
//! single change (a bit of the quote, signature or AK; a wrong challenge; a wrong PCR value;
//! an untrusted AK) fails the check it should.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "support/gce.rs"]
mod gce;
mod support;

use attester_core::crypto::Provider;
use attester_core::x509::{Certificate, TrustAnchors, pem_blocks};
use attester_core::{Check, Error, ErrorKind};
use attester_tpm::verify::{Ak, AkTrust, Options, verify_quote};
use attester_tpm::{Attest, HashAlgId, PcrValues, Public, TpmSignature};
use time::OffsetDateTime;

fn providers() -> Vec<&'static dyn Provider> {
    #[allow(unused_mut)]
    let mut all: Vec<&'static dyn Provider> = vec![attester_core::crypto::default_provider()];
    #[cfg(all(feature = "aws-lc", feature = "rustcrypto"))]
    all.push(&attester_core::crypto::RustCrypto);
    all
}

struct Swtpm {
    name: &'static str,
    attest: Vec<u8>,
    sig: Vec<u8>,
    ak: Vec<u8>,
    ak_pem_der: Vec<u8>,
    pcrs_bin: Vec<u8>,
    nonce: Vec<u8>,
}

fn swtpm(test: &str) -> Option<Vec<Swtpm>> {
    let mut out = Vec::new();
    for (name, ak, nonce) in [
        ("quote-ecc-n64", "ak-ecc", "nonce64.hex"),
        ("quote-ecc-n32", "ak-ecc", "nonce32.hex"),
        ("quote-rsa-n64", "ak-rsa", "nonce64.hex"),
    ] {
        let file = |f: String| support::corpus_file(test, &format!("tpm/swtpm/{f}"));
        let pem = file(format!("{ak}.pem"))?;
        out.push(Swtpm {
            name,
            attest: file(format!("{name}.attest"))?,
            sig: file(format!("{name}.sig"))?,
            ak: file(format!("{ak}.tpm2b_public"))?,
            ak_pem_der: pem_blocks(&pem).unwrap().remove(0).der,
            pcrs_bin: file(format!("{name}.pcrs"))?,
            nonce: hex::decode(String::from_utf8(file(nonce.to_owned())?).unwrap().trim()).unwrap(),
        });
    }
    Some(out)
}

fn pinned(spki: &[u8]) -> TrustAnchors {
    let mut anchors = TrustAnchors::new();
    anchors.add_spki(spki).unwrap();
    anchors
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn failed_check(result: Result<attester_tpm::verify::Appraisal, Error>) -> Check {
    match result {
        Err(Error::Verification(failed)) => failed.check,
        Err(other) => panic!("expected a failed check, got error {other}"),
        Ok(_) => panic!("expected a failed check, got success"),
    }
}

#[test]
fn swtpm_quotes_parse_to_expected_fields() {
    let Some(vectors) = swtpm("swtpm_quotes_parse_to_expected_fields") else {
        return;
    };
    for v in &vectors {
        let attest = Attest::parse(&v.attest).unwrap();
        assert_eq!(attest.extra_data(), v.nonce.as_slice(), "{}", v.name);
        assert_eq!(
            attest.as_bytes().len(),
            if v.nonce.len() == 64 { 177 } else { 145 }
        );
        assert_eq!(attest.firmware_version(), 0x2019_1023_0016_3636);
        let pcrs: Vec<_> = attest.pcr_select().pcrs().collect();
        assert_eq!(
            pcrs,
            (0..8).map(|i| (HashAlgId::SHA256, i)).collect::<Vec<_>>()
        );
        assert_eq!(attest.qualified_signer().len(), 34);
        let public = Public::parse_tpm2b(&v.ak).unwrap();
        assert_eq!(public.attributes().0, 0x0005_0072);
        let sig = TpmSignature::parse(&v.sig).unwrap();
        assert_eq!(sig.hash(), HashAlgId::SHA256);
        let values = PcrValues::parse(&v.pcrs_bin).unwrap();
        assert_eq!(
            hex::encode(values.get(HashAlgId::SHA256, 0).unwrap()),
            "9851312028952521510e8eaab5be94e7dc24b5fc292b2e9781173cf11ffa9878"
        );
        assert_eq!(values.iter().count(), 8);
    }
}

#[test]
fn swtpm_quotes_verify_with_their_ak_files() {
    let Some(vectors) = swtpm("swtpm_quotes_verify_with_their_ak_files") else {
        return;
    };
    let yaml = support::corpus_file("yaml", "tpm/swtpm/pcrs-sha256-0-7.yaml").unwrap();
    let yaml_values = PcrValues::parse(&yaml).unwrap();
    for provider in providers() {
        for v in &vectors {
            let values = PcrValues::parse(&v.pcrs_bin).unwrap();
            assert_eq!(values, yaml_values);
            let anchors = pinned(&v.ak_pem_der);
            let options = Options {
                anchors: &anchors,
                at: now(),
                provider,
            };
            for ak in [Ak::parse(&v.ak).unwrap(), Ak::parse(&v.ak_pem_der).unwrap()] {
                let appraisal =
                    verify_quote(&v.attest, &v.sig, ak, &values, &[], &v.nonce, &options)
                        .unwrap_or_else(|e| panic!("{} ({}): {e}", v.name, provider.name()));
                assert_eq!(appraisal.trust, AkTrust::Pinned);
                assert!(appraisal.pcrs_checked);
                assert!(appraisal.passed.contains(&Check::Signature));
            }
        }
    }
}

#[test]
fn swtpm_negative_checks_name_the_check() {
    let Some(vectors) = swtpm("swtpm_negative_checks_name_the_check") else {
        return;
    };
    for v in &vectors {
        let values = PcrValues::parse(&v.pcrs_bin).unwrap();
        let anchors = pinned(&v.ak_pem_der);
        let options = Options::new(&anchors, now());
        let ak = Ak::parse(&v.ak).unwrap();
        // Wrong challenge: one byte changed, one byte short, one byte longer.
        let mut wrong = v.nonce.clone();
        wrong[0] ^= 1;
        for nonce in [
            wrong,
            v.nonce[1..].to_vec(),
            [v.nonce.as_slice(), &[0]].concat(),
        ] {
            let r = verify_quote(&v.attest, &v.sig, ak, &values, &[], &nonce, &options);
            assert_eq!(failed_check(r), Check::Binding);
        }
        // A PCR value that does not match.
        let mut bad = PcrValues::new();
        for (bank, index, value) in values.iter() {
            let mut value = value.to_vec();
            if index == 3 {
                value[0] ^= 0x80;
            }
            bad.insert(bank, index, &value).unwrap();
        }
        let r = verify_quote(&v.attest, &v.sig, ak, &bad, &[], &v.nonce, &options);
        assert_eq!(failed_check(r), Check::Format("pcr-digest".into()));
        // A selected PCR without a value.
        let mut missing = PcrValues::new();
        missing
            .insert(
                HashAlgId::SHA256,
                0,
                values.get(HashAlgId::SHA256, 0).unwrap(),
            )
            .unwrap();
        let r = verify_quote(&v.attest, &v.sig, ak, &missing, &[], &v.nonce, &options);
        assert_eq!(failed_check(r), Check::Format("pcr-digest".into()));
        // The AK neither pinned nor certified.
        let empty = TrustAnchors::new();
        let r = verify_quote(
            &v.attest,
            &v.sig,
            ak,
            &values,
            &[],
            &v.nonce,
            &Options::new(&empty, now()),
        );
        let Err(Error::Verification(failed)) = r else {
            panic!("untrusted AK accepted")
        };
        assert_eq!(failed.check, Check::Trust);
        assert!(
            failed.reason.contains("AK not trusted"),
            "{}",
            failed.reason
        );
    }
}

#[test]
fn swtpm_every_bit_flip_fails() {
    let Some(vectors) = swtpm("swtpm_every_bit_flip_fails") else {
        return;
    };
    for v in &vectors {
        let values = PcrValues::parse(&v.pcrs_bin).unwrap();
        let anchors = pinned(&v.ak_pem_der);
        let options = Options::new(&anchors, now());
        let ak = Ak::parse(&v.ak).unwrap();
        for bit in 0..v.attest.len() * 8 {
            let mut attest = v.attest.clone();
            attest[bit / 8] ^= 1 << (bit % 8);
            let r = verify_quote(&attest, &v.sig, ak, &values, &[], &v.nonce, &options);
            assert_eq!(
                failed_check(r),
                Check::Signature,
                "{} attest bit {bit}",
                v.name
            );
        }
        for bit in 0..v.sig.len() * 8 {
            let mut sig = v.sig.clone();
            sig[bit / 8] ^= 1 << (bit % 8);
            let r = verify_quote(&v.attest, &sig, ak, &values, &[], &v.nonce, &options);
            assert!(r.is_err(), "{} signature bit {bit} accepted", v.name);
        }
        // The AK's public area is bound to the quote only through its key, which is what is
        // pinned or certified: a change is accepted only when the key is the same and the
        // attributes an AK needs still hold (nameAlg, noDA, userWithAuth and the like).
        let spki = ak.spki_der().unwrap();
        let mut accepted = 0;
        for bit in 0..v.ak.len() * 8 {
            let mut ak_bytes = v.ak.clone();
            ak_bytes[bit / 8] ^= 1 << (bit % 8);
            let Ok(changed) = Ak::parse(&ak_bytes) else {
                continue;
            };
            let r = verify_quote(&v.attest, &v.sig, changed, &values, &[], &v.nonce, &options);
            if r.is_ok() {
                accepted += 1;
                let Ak::Public(public) = changed else {
                    unreachable!()
                };
                assert_eq!(changed.spki_der().unwrap(), spki, "{} AK bit {bit}", v.name);
                assert!(public.attributes().missing_for_ak().is_empty());
            }
        }
        assert!(accepted < 16, "{}: {accepted} AK flips accepted", v.name);
    }
}

#[test]
fn swtpm_every_truncation_fails_to_parse() {
    let Some(vectors) = swtpm("swtpm_every_truncation_fails_to_parse") else {
        return;
    };
    for v in &vectors {
        for len in 0..v.attest.len() {
            let e = Attest::parse(&v.attest[..len]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Malformed);
        }
        for len in 0..v.sig.len() {
            assert!(TpmSignature::parse(&v.sig[..len]).is_err());
        }
        for len in 0..v.ak.len() {
            assert!(Public::parse_tpm2b(&v.ak[..len]).is_err());
        }
        for len in 0..v.pcrs_bin.len() {
            assert!(PcrValues::from_tpm2_binary(&v.pcrs_bin[..len]).is_err());
        }
        let mut longer = v.attest.clone();
        longer.push(0);
        assert!(Attest::parse(&longer).is_err());
    }
}

#[test]
fn unrestricted_ak_fails_the_attribute_check() {
    let Some(vectors) = swtpm("unrestricted_ak_fails_the_attribute_check") else {
        return;
    };
    let v = &vectors[0];
    let values = PcrValues::parse(&v.pcrs_bin).unwrap();
    let anchors = pinned(&v.ak_pem_der);
    let options = Options::new(&anchors, now());
    // objectAttributes sit at TPM2B_PUBLIC offset 2 + 4; bit 16 (restricted) is in byte 2+5.
    let mut ak = v.ak.clone();
    ak[2 + 5] &= !0x01;
    let r = verify_quote(
        &v.attest,
        &v.sig,
        Ak::parse(&ak).unwrap(),
        &values,
        &[],
        &v.nonce,
        &options,
    );
    let Err(Error::Verification(failed)) = r else {
        panic!("unrestricted AK accepted")
    };
    assert_eq!(failed.check, Check::Format("ak-attributes".into()));
    assert!(failed.reason.contains("restricted"));
}

#[test]
fn gce_quotes_verify_with_ak_nonce_and_certificate_chain() {
    let test = "gce_quotes_verify_with_ak_nonce_and_certificate_chain";
    let Some(pb) = support::corpus_file(test, "tpm/gce-attestation/gce-cos-85-nonce9009.pb") else {
        return;
    };
    let root = support::corpus_file(test, "tpm/gce-attestation/tpm_ek_root_1.cer").unwrap();
    let intermediate =
        support::corpus_file(test, "tpm/gce-attestation/tpm_ek_intermediate_2.crt").unwrap();
    let parse_cert = |bytes: &[u8]| {
        Certificate::from_der(bytes).unwrap_or_else(|_| Certificate::from_pem(bytes).unwrap())
    };
    let root = parse_cert(&root);
    let intermediate = parse_cert(&intermediate);
    let att = gce::parse(&pb);
    assert_eq!(att.quotes.len(), 3);
    let public = Public::parse(&att.ak_pub).unwrap();
    assert_eq!(public.attributes().0, 0x0005_0072);
    let ak_cert = Certificate::from_der(&att.ak_cert).unwrap();
    let chain = [ak_cert, intermediate];
    let anchors = TrustAnchors::from_certificates([&root]);
    let at = time::macros::datetime!(2025-01-01 00:00 UTC);
    for provider in providers() {
        let options = Options {
            anchors: &anchors,
            at,
            provider,
        };
        let mut banks = Vec::new();
        for quote in &att.quotes {
            let bank = HashAlgId::new(quote.hash).unwrap();
            banks.push(bank);
            let mut values = PcrValues::new();
            for (index, value) in &quote.pcrs {
                values.insert(bank, *index, value).unwrap();
            }
            let appraisal = verify_quote(
                &quote.attest,
                &quote.signature,
                Ak::Public(public),
                &values,
                &chain,
                &[0x90, 0x09],
                &options,
            )
            .unwrap_or_else(|e| panic!("bank {} ({}): {e}", bank.name(), provider.name()));
            assert!(matches!(appraisal.trust, AkTrust::Certified { .. }));
            assert_eq!(
                appraisal.passed,
                vec![
                    Check::Format("ak-attributes".into()),
                    Check::Signature,
                    Check::Chain,
                    Check::Validity,
                    Check::Trust,
                    Check::Binding,
                    Check::Format("pcr-digest".into()),
                ]
            );
            // Without the root the same quote is "AK not trusted".
            let none = TrustAnchors::new();
            let r = verify_quote(
                &quote.attest,
                &quote.signature,
                Ak::Public(public),
                &values,
                &chain,
                &[0x90, 0x09],
                &Options::new(&none, at),
            );
            let Err(Error::Verification(failed)) = r else {
                panic!("unrooted AK certificate accepted")
            };
            assert_eq!(failed.check, Check::Trust);
            assert!(failed.reason.starts_with("AK not trusted"));
            // The wrong nonce.
            let r = verify_quote(
                &quote.attest,
                &quote.signature,
                Ak::Public(public),
                &values,
                &chain,
                &[0x90, 0x08],
                &options,
            );
            assert_eq!(failed_check(r), Check::Binding);
        }
        assert_eq!(
            banks,
            [HashAlgId::SHA1, HashAlgId::SHA256, HashAlgId::SHA384]
        );
    }
}

//! The command line, exactly as DESIGN.md states it.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "attester",
    version,
    about = "Evidence from the TEE this machine runs in, bound to a TLS session, and its verification"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Probe which TEE this machine offers (no side effects; never reports the mock as usable).
    Detect(DetectArgs),
    /// Produce evidence over a challenge, wrapped in a CMW.
    Evidence(EvidenceArgs),
    /// Decode evidence (a CMW or raw platform bytes) to JSON, without verifying it.
    Inspect(InspectArgs),
    /// Verify evidence: signature, chain, binding, policy. Exit 0 verified, 1 a check failed.
    Verify(VerifyArgs),
    /// An attested TLS exchange on loopback (server and client in one process), step by step.
    Demo(DemoArgs),
    /// Serve attested TLS: answer every attestation request with evidence from the platform.
    TlsServer(TlsServerArgs),
    /// Connect to an attested TLS server and verify its evidence, round after round.
    TlsClient(TlsClientArgs),
    /// Replay a TCG firmware event log into its PCR banks and print the boot facts.
    Eventlog(EventlogArgs),
    /// TPM 2.0 tools.
    Tpm(TpmArgs),
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// The platform both sides attest with: a mock by name, or a real TEE (auto, snp, ...).
    #[arg(long, value_name = "NAME", default_value = "mock-snp")]
    pub platform: String,
}

#[derive(Args, Debug)]
pub struct TlsServerArgs {
    /// The address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, value_name = "ADDR")]
    pub listen: String,
    /// The platform to attest with (auto, snp, tdx, cca, tpm, or a mock by name).
    #[arg(long, value_name = "NAME", default_value = "auto")]
    pub platform: String,
    /// Serve one connection, then exit.
    #[arg(long)]
    pub once: bool,
}

#[derive(Args, Debug)]
pub struct TlsClientArgs {
    /// The server's address.
    pub addr: String,
    /// Trust the mock roots (NOT SECURE: for tests and demos).
    #[arg(long)]
    pub allow_mock: bool,
    /// A trusted root or key, as for `verify --trust`.
    #[arg(long, value_name = "FILE")]
    pub trust: Vec<PathBuf>,
    /// How many attestation rounds (each with a fresh context and binder).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub rounds: u32,
    /// An appraisal policy file (JSON, docs/policy.md).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Accept a debug guest.
    #[arg(long)]
    pub allow_debug: bool,
    /// Print one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct EventlogArgs {
    /// The log (binary_bios_measurements).
    pub file: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct TpmArgs {
    #[command(subcommand)]
    pub command: TpmCommand,
}

#[derive(Subcommand, Debug)]
pub enum TpmCommand {
    /// Export the TPM's attestation key (PEM SubjectPublicKeyInfo) for enrolment; a verifier
    /// then trusts it with `verify --trust FILE`.
    Ak(TpmAkArgs),
}

#[derive(Args, Debug)]
pub struct TpmAkArgs {
    /// The TCTI (default: $ATTESTER_TPM_TCTI, $TPM2TOOLS_TCTI, $TCTI, else device:/dev/tpmrm0).
    #[arg(long, value_name = "TCTI")]
    pub tpm_tcti: Option<String>,
    /// Where to write the PEM.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

/// The loose files of a raw TPMS_ATTEST.
#[derive(Args, Debug)]
pub struct TpmQuoteArgs {
    /// With a raw TPMS_ATTEST: its TPMT_SIGNATURE.
    #[arg(long, value_name = "FILE")]
    pub tpm_signature: Option<PathBuf>,
    /// With a raw TPMS_ATTEST: the AK (PEM SubjectPublicKeyInfo or TPM2B_PUBLIC).
    #[arg(long, value_name = "FILE")]
    pub tpm_ak: Option<PathBuf>,
    /// With a raw TPMS_ATTEST: PCR values (JSON bank -> index -> hex, or tpm2-tools output).
    #[arg(long, value_name = "FILE")]
    pub tpm_pcrs: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DetectArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// The challenge: raw, or the expat binder from a TLS exporter value and an SPKI.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("expected").required(true).args(["challenge", "exporter"])))]
pub struct ChallengeArgs {
    /// The challenge, 8 to 64 bytes as hex.
    #[arg(long, value_name = "HEX", conflicts_with_all = ["exporter", "spki"])]
    pub challenge: Option<String>,
    /// The 32-byte TLS-Exporter("Attestation", context, 32) value, as hex.
    #[arg(long, value_name = "HEX", requires = "spki")]
    pub exporter: Option<String>,
    /// The end-entity key: a DER or PEM SubjectPublicKeyInfo, or a certificate holding it.
    #[arg(long, value_name = "FILE", requires = "exporter")]
    pub spki: Option<PathBuf>,
    /// The TLS suite's hash.
    #[arg(long, value_enum, default_value_t = HashArg::Sha256, requires = "exporter")]
    pub hash: HashArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum HashArg {
    Sha256,
    Sha384,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    Json,
    Cbor,
}

#[derive(Args, Debug)]
pub struct EvidenceArgs {
    /// auto (detect), snp, tdx, cca, tpm, or by name only: mock, mock-snp, mock-tdx, mock-cca,
    /// mock-tpm.
    #[arg(long, value_name = "NAME", default_value = "auto")]
    pub platform: String,
    #[command(flatten)]
    pub challenge: ChallengeArgs,
    /// The CMW encoding.
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    pub format: FormatArg,
    /// With --platform tpm: the TCTI (default: from the environment, else device:/dev/tpmrm0).
    #[arg(long, value_name = "TCTI")]
    pub tpm_tcti: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The evidence file.
    pub file: PathBuf,
    /// Print JSON (the default output is indented JSON as well; --json prints it compact).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub tpm: TpmQuoteArgs,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The evidence file: a CMW (JSON or CBOR) or raw platform bytes.
    pub file: PathBuf,
    #[command(flatten)]
    pub challenge: ChallengeArgs,
    /// A certificate or chain (PEM or DER) to add to the evidence's endorsements.
    #[arg(long, value_name = "FILE")]
    pub endorsement: Vec<PathBuf>,
    /// A trusted root: a certificate (PEM or DER, several allowed; an SEV-SNP ARK becomes a root
    /// of its product), a SubjectPublicKeyInfo, or a CCA platform key as a JWK or a
    /// trust-anchor store (JSON).
    #[arg(long, value_name = "FILE")]
    pub trust: Vec<PathBuf>,
    /// Trust the mock roots (NOT SECURE: for tests and demos).
    #[arg(long)]
    pub allow_mock: bool,
    /// The verification time, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Print the verdict as JSON.
    #[arg(long)]
    pub json: bool,
    /// An appraisal policy file (JSON, docs/policy.md).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Accept a debug guest.
    #[arg(long)]
    pub allow_debug: bool,
    /// Intel TDX collateral for the TCB status (offline): a collateral bundle (JSON), a PCS
    /// TCB Info or QE Identity response, a DER CRL, or the PEM TCB signing chain.
    #[arg(long, value_name = "FILE")]
    pub collateral: Vec<PathBuf>,
    #[command(flatten)]
    pub tpm: TpmQuoteArgs,
}

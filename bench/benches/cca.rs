//! Arm CCA attestation tokens from the corpus: ours (`attester_cca`) against veraison's
//! `ccatoken` crate 0.1 (rust-ccatoken, OpenSSL underneath) in the same run: decoding with every
//! claim read (with the allocations of one decode), and full verification (both signatures and
//! the platform/realm binding, with the platform key from the same trust-anchor store), next
//! to the two bare aws-lc-rs ECDSA P-384 verifications it contains.
//!
//! `ccatoken` 0.1 reads only tag-399 collections with a raw RAK, so the tokens are the two
//! such corpus tokens whose platform key is the TF-M/TF-A FVP test CPAK (P-384). The corpus is
//! read at run time from `ATTESTER_VECTORS` (default `../../shared/vectors` beside the
//! workspace); without it the bench prints a note and measures nothing.

// A bench whose fixture is broken must abort loudly, and it prints the allocation counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    missing_docs
)]

use std::alloc::System;
use std::hint::black_box;

use attester_cca::CcaToken;
use attester_cca::trust::PlatformKeys;
use attester_cca::verify::{self, CcaPolicy};
use aws_lc_rs::signature::{ECDSA_P384_SHA384_FIXED, UnparsedPublicKey};
use ccatoken::store::MemoTrustAnchorStore;
use ccatoken::token::Evidence;
use criterion::{Criterion, criterion_group};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

/// Counts every allocation of the bench process, so that one decode can be measured. The
/// counters are a few atomic additions per allocation, paid by ours and the peer alike.
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PEER: &str = "ccatoken-0.1";

// Ours reads every claim exactly as attester-cca's own benches do.
#[allow(dead_code)]
#[path = "../../attester-cca/benches/common/mod.rs"]
mod cca_common;
use cca_common::read_every_claim;

/// The tokens (label, corpus path); both verify with the CPAK of `TA_STORE`.
const TOKENS: [(&str, &str); 2] = [
    ("cca-token-01", "cca/rust-ccatoken/cca-token-01.cbor"),
    ("trustee", "cca/trustee/cca-example-token.cbor"),
];

/// The trust-anchor store (`[{pkey: JWK, implementation-id, instance-id}]`) holding the CPAK,
/// read by both sides.
const TA_STORE: &str = "cca/trustee/tastore.json";

use attester_bench::corpus_file;

/// Allocations (and reallocations) made by `f`, and the bytes they asked for; what `f`
/// returns is dropped after counting.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, usize) {
    let region = Region::new(GLOBAL);
    let out = black_box(f());
    let stats = region.change();
    drop(out);
    (
        stats.allocations + stats.reallocations,
        stats.bytes_allocated,
    )
}

/// The peer: the same claims from its decoded claim sets (the claims its model has).
fn peer_read_every_claim(e: &Evidence) -> usize {
    let p = &e.platform_claims;
    let r = &e.realm_claims;
    let mut sum = p.profile.len() + p.challenge.len() + p.impl_id.len();
    sum += p.inst_id.len() + p.config.len() + usize::from(p.lifecycle);
    sum += p.verification_service.as_ref().map_or(0, String::len) + p.hash_alg.len();
    for c in &p.sw_components {
        sum += c.mtyp.as_ref().map_or(0, String::len) + c.mval.len();
        sum += c.version.as_ref().map_or(0, String::len) + c.signer_id.len();
        sum += c.hash_alg.as_ref().map_or(0, String::len);
    }
    sum += r.challenge.len() + r.perso.len() + r.hash_alg.len() + r.rak.len();
    sum += r.rim.len() + r.rak_hash_alg.len();
    sum + r.rem.iter().map(Vec::len).sum::<usize>()
}

fn ours_decode(bytes: &[u8]) -> usize {
    let token = CcaToken::decode(bytes).unwrap();
    read_every_claim(&token)
}

// `Evidence::decode` takes `&Vec<u8>`.
#[allow(clippy::ptr_arg)]
fn peer_decode(bytes: &Vec<u8>) -> usize {
    let evidence = Evidence::decode(bytes).unwrap();
    peer_read_every_claim(&evidence)
}

/// The peer's decode and verification with the trust-anchor store. `Evidence::verify` reports
/// a failed check only in the trust vectors, which the setup compares with a run whose
/// `verify_with_cpak` returned `Ok`.
#[allow(clippy::ptr_arg)]
fn peer_verify(bytes: &Vec<u8>, tas: &MemoTrustAnchorStore) -> Evidence {
    let mut evidence = Evidence::decode(bytes).unwrap();
    evidence.verify(tas).unwrap();
    evidence
}

fn benches(c: &mut Criterion) {
    let Some(store) = corpus_file(TA_STORE) else {
        println!(
            "NOTE: cca benches skipped: no CCA corpus (set ATTESTER_VECTORS to the vectors \
             folder holding {TA_STORE})"
        );
        return;
    };
    let mut keys = PlatformKeys::new();
    keys.add_file(&store).unwrap();
    let mut tas = MemoTrustAnchorStore::new();
    tas.load_json(std::str::from_utf8(&store).unwrap()).unwrap();
    let policy = CcaPolicy::default();

    println!("allocations per decode + read every claim (count, bytes requested):");
    let mut cases = Vec::new();
    for (label, path) in TOKENS {
        let bytes = corpus_file(path).unwrap();
        let token = CcaToken::decode(&bytes).unwrap();
        let peer = Evidence::decode(&bytes).unwrap();
        assert_eq!(
            token.platform().claims().challenge(),
            peer.platform_claims.challenge.as_slice(),
            "{label}: same platform challenge"
        );
        assert_eq!(
            token.realm().claims().initial_measurement(),
            peer.realm_claims.rim.as_slice(),
            "{label}: same RIM"
        );
        assert_eq!(
            token.platform().claims().sw_components().len(),
            peer.platform_claims.sw_components.len(),
            "{label}: same software components"
        );
        for (what, (count, bytes)) in [
            ("ours CcaToken::decode", allocations(|| ours_decode(&bytes))),
            (
                "ccatoken-0.1 Evidence::decode",
                allocations(|| peer_decode(&bytes)),
            ),
        ] {
            println!("  {label:<14} {what:<32} {count:>4} allocations {bytes:>7} bytes");
        }
        cases.push((label, bytes));
    }

    for (label, bytes) in &cases {
        let mut g = c.benchmark_group(format!("cca/decode+read every claim/{label}"));
        g.bench_function("ours", |b| b.iter(|| ours_decode(black_box(bytes))));
        g.bench_function(PEER, |b| b.iter(|| peer_decode(black_box(bytes))));
        g.finish();
    }

    for (label, bytes) in &cases {
        // Every path must accept the token, or the comparison is void.
        let token = CcaToken::decode(bytes).unwrap();
        let challenge = token.realm().claims().challenge().to_vec();
        verify::verify_token(&token, &challenge, &keys, &policy).unwrap();
        let mut checked = Evidence::decode(bytes).unwrap();
        let cpak = {
            use ccatoken::store::ITrustAnchorStore;
            tas.lookup(&checked.platform_claims.inst_id).unwrap()
        };
        checked.verify_with_cpak(cpak).unwrap();
        let verified = peer_verify(bytes, &tas);
        assert_eq!(
            format!("{:?}", verified.get_trust_vectors()),
            format!("{:?}", checked.get_trust_vectors()),
            "{label}: {PEER} verify passes"
        );

        // The two signatures, their to-be-signed bytes and keys prepared outside the loop.
        let platform = token.platform().signed().message();
        let realm = token.realm().signed().message();
        let (platform_tbs, realm_tbs) = (platform.to_be_signed(), realm.to_be_signed());
        let cpak = keys
            .anchors()
            .first()
            .map(|a| a.key.clone())
            .expect("one anchor");
        let cpak_sec1 = match cpak.public_key() {
            attester_core::crypto::PublicKey::EcPoint { sec1, .. } => sec1.to_vec(),
            other => panic!("CPAK as {other:?}"),
        };
        let rak = token.realm().claims().public_key().sec1_point();
        let bare = || {
            UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, &cpak_sec1)
                .verify(black_box(&platform_tbs), platform.signature)
                .unwrap();
            UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, rak)
                .verify(black_box(&realm_tbs), realm.signature)
                .unwrap();
        };
        bare();

        let mut g = c.benchmark_group(format!("cca/verify/{label}"));
        g.bench_function("ours (decode + verify_token)", |b| {
            b.iter(|| {
                let token = CcaToken::decode(black_box(bytes)).unwrap();
                verify::verify_token(&token, &challenge, &keys, &policy).unwrap()
            })
        });
        g.bench_function("aws-lc-rs two bare P-384 verifies", |b| b.iter(bare));
        g.bench_function(format!("{PEER} (decode + verify)"), |b| {
            b.iter(|| peer_verify(black_box(bytes), &tas))
        });
        g.finish();
    }
}

criterion_group!(cca_benches, benches);

fn main() {
    cca_benches();
    Criterion::default().configure_from_args().final_summary();
}

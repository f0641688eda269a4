//! Every real report in the corpus: parsed to the values in `expected.json`, verified with its
//! VCEK or VLEK to the pinned AMD root, and refused after any single-bit change.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_core::crypto::Provider;
use attester_core::x509::Certificate;
use attester_core::{Challenge, Check, Error, ErrorKind};
use attester_snp::verify::{self, AmdRoots, Options, Policy, ProductRoots};
use attester_snp::{CertKind, CertTable, Generation, Report, SigningKey, TcbLayout};
use serde_json::Value;
use time::{Duration, OffsetDateTime};

struct Vector {
    name: String,
    expected: Value,
    report: Vec<u8>,
    vek: Certificate,
}

fn providers() -> Vec<&'static dyn Provider> {
    #[allow(unused_mut)]
    let mut all: Vec<&'static dyn Provider> = vec![attester_core::crypto::default_provider()];
    #[cfg(all(feature = "aws-lc", feature = "rustcrypto"))]
    all.push(&attester_core::crypto::RustCrypto);
    all
}

fn vectors(test: &str) -> Option<Vec<Vector>> {
    let expected = support::corpus_file(test, "snp/expected.json")?;
    let expected: Value = serde_json::from_slice(&expected).unwrap();
    let mut out = Vec::new();
    for (name, v) in expected["vectors"].as_object().unwrap() {
        let report = support::corpus_file(test, &format!("snp/{}", v["report"].as_str().unwrap()))?;
        let vek_bytes = support::corpus_file(test, &format!("snp/{}", v["vek"].as_str().unwrap()))?;
        let vek = if vek_bytes.starts_with(b"-----") {
            Certificate::from_pem(&vek_bytes).unwrap()
        } else {
            Certificate::from_der(&vek_bytes).unwrap()
        };
        out.push(Vector {
            name: name.clone(),
            expected: v.clone(),
            report,
            vek,
        });
    }
    assert_eq!(out.len(), 6, "the corpus has six SNP reports");
    Some(out)
}

/// A time inside the key's validity (a day after it starts).
fn inside(vek: &Certificate) -> OffsetDateTime {
    vek.not_before() + Duration::days(1)
}

fn challenge_of(report: &Report<'_>) -> Challenge {
    Challenge::new(report.report_data()).unwrap()
}

fn hex_u64(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

fn check_of(err: Error) -> Check {
    err.check_failed()
        .unwrap_or_else(|| panic!("expected a failed check, got {err}"))
        .check
        .clone()
}

fn verify_vector(
    v: &Vector,
    report: &[u8],
    certs: &[Certificate],
    roots: &AmdRoots,
    at: OffsetDateTime,
    provider: &'static dyn Provider,
) -> attester_core::Result<verify::Appraisal> {
    let parsed = Report::parse(report)?;
    let challenge = challenge_of(&parsed);
    let policy = Policy {
        allow_debug: true,
        ..Policy::default()
    };
    let mut options = Options::new(roots, at, &policy);
    options.provider = provider;
    let _ = v;
    verify::verify(report, certs, &challenge, &options)
}

#[test]
fn every_report_parses_to_its_expected_values() {
    let Some(vectors) = vectors("every_report_parses_to_its_expected_values") else {
        return;
    };
    for v in &vectors {
        let e = &v.expected;
        let r = Report::parse(&v.report).unwrap_or_else(|err| panic!("{}: {err}", v.name));
        let name = &v.name;
        assert_eq!(
            u64::from(r.version()),
            e["version"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            u64::from(r.guest_svn()),
            e["guest_svn"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(r.policy().0, hex_u64(&e["policy"]), "{name}");
        assert_eq!(u64::from(r.vmpl()), e["vmpl"].as_u64().unwrap(), "{name}");
        assert_eq!(
            u64::from(r.signature_algo()),
            e["signature_algo"].as_u64().unwrap()
        );
        assert_eq!(r.platform_info().0, hex_u64(&e["platform_info"]), "{name}");
        let ki = &e["key_info"];
        assert_eq!(u64::from(r.key_info().0), hex_u64(&ki["raw"]), "{name}");
        assert_eq!(r.key_info().author_key_en(), ki["author_key_en"] == 1);
        assert_eq!(r.key_info().mask_chip_key(), ki["mask_chip_key"] == 1);
        let expected_key = match e["signing_key"].as_str().unwrap() {
            "VCEK" => SigningKey::Vcek,
            "VLEK" => SigningKey::Vlek,
            other => panic!("{other}"),
        };
        assert_eq!(r.key_info().signing_key(), expected_key, "{name}");
        assert_eq!(hex::encode(r.report_data()), e["report_data_hex"], "{name}");
        assert_eq!(
            hex::encode(&r.measurement()[..16]),
            e["measurement_first16"],
            "{name}"
        );
        assert_eq!(
            r.host_data().iter().all(|b| *b == 0),
            e["host_data_all_zero"].as_bool().unwrap()
        );
        assert_eq!(
            r.id_key_digest().iter().all(|b| *b == 0),
            e["id_key_digest_all_zero"].as_bool().unwrap()
        );
        assert_eq!(
            hex::encode(&r.chip_id()[..8]),
            e["chip_id_first8"],
            "{name}"
        );
        assert_eq!(
            r.chip_id()[8..].iter().all(|b| *b == 0),
            e["chip_id_bytes_8_to_63_zero"].as_bool().unwrap()
        );
        match e["cpuid_fam_mod_step"].as_array() {
            None => assert_eq!(r.cpuid(), None, "{name}"),
            Some(fms) => {
                let c = r.cpuid().unwrap();
                let got = [c.family, c.model, c.stepping].map(u64::from);
                let want: Vec<u64> = fms.iter().map(hex_u64).collect();
                assert_eq!(got.to_vec(), want, "{name}");
            }
        }
        let product = match e["product"].as_str().unwrap() {
            "Milan" => Generation::Milan,
            "Genoa" => Generation::Genoa,
            "Turin" => Generation::Turin,
            other => panic!("{other}"),
        };
        if r.version() >= 3 {
            assert_eq!(r.generation(), Some(product), "{name}");
        } else {
            assert_eq!(r.generation(), None, "{name}");
        }
        let layout = r.tcb_layout().unwrap();
        assert_eq!(layout, product.tcb_layout(), "{name}");
        for (field, tcb) in [
            ("reported_tcb", r.reported_tcb()),
            ("current_tcb", r.current_tcb()),
            ("committed_tcb", r.committed_tcb()),
            ("launch_tcb", r.launch_tcb()),
        ] {
            let want = &e[field];
            assert_eq!(tcb.raw(), hex_u64(&want["raw"]), "{name} {field}");
            assert!(tcb.reserved_zero(layout), "{name} {field}");
            let d = tcb.decode(layout);
            assert_eq!(u64::from(d.bootloader), want["bl"].as_u64().unwrap());
            assert_eq!(u64::from(d.tee), want["tee"].as_u64().unwrap());
            assert_eq!(u64::from(d.snp), want["snp"].as_u64().unwrap());
            assert_eq!(u64::from(d.microcode), want["ucode"].as_u64().unwrap());
            assert_eq!(d.fmc.map(u64::from), want["fmc"].as_u64(), "{name} {field}");
        }
        assert_eq!(r.current_version().to_string(), e["current_version"]);
        assert_eq!(r.committed_version().to_string(), e["committed_version"]);
        assert_eq!(
            r.launch_mit_vector(),
            e["launch_mit_vector"]
                .as_str()
                .map(|_| hex_u64(&e["launch_mit_vector"]))
        );
        assert_eq!(
            r.current_mit_vector(),
            e["current_mit_vector"]
                .as_str()
                .map(|_| hex_u64(&e["current_mit_vector"]))
        );
        // r and s are the first 48 bytes of their little-endian fields, reversed.
        let mut r_le = v.report[0x2A0..0x2A0 + 48].to_vec();
        r_le.reverse();
        assert_eq!(r.signature_r().to_vec(), r_le);
        let mut s_le = v.report[0x2E8..0x2E8 + 48].to_vec();
        s_le.reverse();
        assert_eq!(r.signature_s().to_vec(), s_le);
        assert_eq!(r.signed_bytes().len(), 0x2A0);
        assert_eq!(r.as_bytes(), &v.report[..]);
    }
}

#[test]
fn every_report_verifies_with_its_key_under_every_provider() {
    let Some(vectors) = vectors("every_report_verifies_with_its_key_under_every_provider") else {
        return;
    };
    let roots = AmdRoots::builtin().unwrap();
    for provider in providers() {
        for v in &vectors {
            let appraisal = verify_vector(
                v,
                &v.report,
                std::slice::from_ref(&v.vek),
                roots,
                inside(&v.vek),
                provider,
            )
            .unwrap_or_else(|e| panic!("{} under {}: {e}", v.name, provider.name()));
            assert_eq!(
                appraisal.generation.as_str(),
                v.expected["product"].as_str().unwrap()
            );
            assert_eq!(
                appraisal.product_name.as_deref(),
                v.expected["vek_product_name"].as_str()
            );
            assert_eq!(
                appraisal.csp_id.as_deref(),
                v.expected["vek_csp_id"].as_str()
            );
            assert_eq!(
                appraisal.signing_key.as_str(),
                v.expected["signing_key"].as_str().unwrap()
            );
            for check in [Check::Signature, Check::Chain, Check::Trust, Check::Binding] {
                assert!(appraisal.passed.contains(&check), "{}: {check}", v.name);
            }
        }
    }
}

#[test]
fn intermediates_and_ark_from_the_evidence_are_used() {
    let Some(vectors) = vectors("intermediates_and_ark_from_the_evidence_are_used") else {
        return;
    };
    let roots = AmdRoots::builtin().unwrap();
    for v in &vectors {
        let generation =
            Generation::from_product_name(v.expected["product"].as_str().unwrap()).unwrap();
        let product = roots.product(generation).unwrap();
        let inter = if v.expected["signing_key"] == "VLEK" {
            product.asvk.clone().unwrap()
        } else {
            product.ask.clone().unwrap()
        };
        // The ARK in the evidence is ignored; the pinned one decides.
        let certs = [product.ark.clone(), inter, v.vek.clone()];
        verify_vector(v, &v.report, &certs, roots, inside(&v.vek), providers()[0])
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
    }
}

#[test]
fn default_policy_rejects_the_debug_guest() {
    let Some(vectors) = vectors("default_policy_rejects_the_debug_guest") else {
        return;
    };
    let roots = AmdRoots::builtin().unwrap();
    for v in &vectors {
        let r = Report::parse(&v.report).unwrap();
        let policy = Policy::default();
        let options = Options::new(roots, inside(&v.vek), &policy);
        let result = verify::verify(
            &v.report,
            std::slice::from_ref(&v.vek),
            &challenge_of(&r),
            &options,
        );
        if r.policy().debug_allowed() {
            assert_eq!(check_of(result.unwrap_err()), Check::Policy("debug".into()));
        } else {
            result.unwrap();
        }
    }
}

#[test]
fn every_truncation_and_extension_fails_parsing() {
    let Some(vectors) = vectors("every_truncation_and_extension_fails_parsing") else {
        return;
    };
    for v in &vectors {
        for len in 0..v.report.len() {
            let err = Report::parse(&v.report[..len]).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Malformed);
        }
        let mut longer = v.report.clone();
        longer.push(0);
        assert_eq!(
            Report::parse(&longer).unwrap_err().kind(),
            ErrorKind::Malformed
        );
    }
}

#[test]
fn every_bit_flip_of_the_report_fails() {
    let Some(vectors) = vectors("every_bit_flip_of_the_report_fails") else {
        return;
    };
    let roots = AmdRoots::builtin().unwrap();
    let provider = attester_core::crypto::default_provider();
    for v in &vectors {
        let at = inside(&v.vek);
        let original = Report::parse(&v.report).unwrap();
        let challenge = challenge_of(&original);
        let policy = Policy {
            allow_debug: true,
            ..Policy::default()
        };
        let mut options = Options::new(roots, at, &policy);
        options.provider = provider;
        // The whole report: signed region, signature, and the reserved signature tail.
        for byte in 0..v.report.len() {
            for bit in 0..8 {
                let mut bad = v.report.clone();
                bad[byte] ^= 1 << bit;
                let result =
                    verify::verify(&bad, std::slice::from_ref(&v.vek), &challenge, &options);
                assert!(
                    result.is_err(),
                    "{}: flip of byte {byte:#x} bit {bit} verified",
                    v.name
                );
            }
        }
    }
}

#[test]
fn every_bit_flip_of_the_key_certificate_fails() {
    let Some(vectors) = vectors("every_bit_flip_of_the_key_certificate_fails") else {
        return;
    };
    let roots = AmdRoots::builtin().unwrap();
    let provider = attester_core::crypto::default_provider();
    for v in &vectors {
        let der = v.vek.der().to_vec();
        // One bit of every byte, the bit rotating with the offset: each flip costs a full chain
        // check (two RSA-4096 verifications), so all 8 bits of all bytes would take minutes.
        for byte in 0..der.len() {
            {
                let bit = byte % 8;
                let mut bad = der.clone();
                bad[byte] ^= 1 << bit;
                let Ok(cert) = Certificate::from_der(&bad) else {
                    continue;
                };
                let result = verify_vector(
                    v,
                    &v.report,
                    std::slice::from_ref(&cert),
                    roots,
                    inside(&v.vek),
                    provider,
                );
                assert!(
                    result.is_err(),
                    "{}: VCEK flip {byte}:{bit} verified",
                    v.name
                );
            }
        }
    }
}

#[test]
fn another_products_ark_fails() {
    let Some(vectors) = vectors("another_products_ark_fails") else {
        return;
    };
    let builtin = AmdRoots::builtin().unwrap();
    for v in &vectors {
        let generation =
            Generation::from_product_name(v.expected["product"].as_str().unwrap()).unwrap();
        for other in Generation::ALL.into_iter().filter(|g| *g != generation) {
            // Only the other product's roots, registered under the report's product.
            let foreign = builtin.product(other).unwrap();
            let roots = AmdRoots::empty().with_product(ProductRoots {
                generation,
                ..foreign.clone()
            });
            let err = verify_vector(
                v,
                &v.report,
                std::slice::from_ref(&v.vek),
                &roots,
                inside(&v.vek),
                providers()[0],
            )
            .unwrap_err();
            assert_eq!(check_of(err), Check::Chain, "{} with {other}", v.name);
            // And the product's own roots missing: nothing to trust.
            let only_other = AmdRoots::empty().with_product(foreign.clone());
            let err = verify_vector(
                v,
                &v.report,
                std::slice::from_ref(&v.vek),
                &only_other,
                inside(&v.vek),
                providers()[0],
            )
            .unwrap_err();
            assert!(
                matches!(check_of(err), Check::Trust | Check::Format(_)),
                "{} with only {other}",
                v.name
            );
        }
    }
}

#[test]
fn keys_fail_for_the_right_reason() {
    let Some(vectors) = vectors("keys_fail_for_the_right_reason") else {
        return;
    };
    let roots = AmdRoots::builtin().unwrap();
    let provider = providers()[0];
    let by_name = |name: &str| vectors.iter().find(|v| v.name == name).unwrap();
    // The VLEK expired on 2025-12-10: at a later time it fails validity.
    let vlek = by_name("milan_v3_vlek_aws_trustee");
    let late = vlek.vek.not_after() + Duration::days(1);
    let err = verify_vector(
        vlek,
        &vlek.report,
        std::slice::from_ref(&vlek.vek),
        roots,
        late,
        provider,
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Validity);
    let early = vlek.vek.not_before() - Duration::days(1);
    let err = verify_vector(
        vlek,
        &vlek.report,
        std::slice::from_ref(&vlek.vek),
        roots,
        early,
        provider,
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Validity);
    // A policy that requires a VCEK refuses it.
    let r = Report::parse(&vlek.report).unwrap();
    let policy = Policy {
        allow_vlek: false,
        ..Policy::default()
    };
    let options = Options::new(roots, inside(&vlek.vek), &policy);
    let err = verify::verify(
        &vlek.report,
        std::slice::from_ref(&vlek.vek),
        &challenge_of(&r),
        &options,
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Policy("vlek".into()));

    // Another chip's VCEK of the same product: the signature does not verify.
    let a = by_name("milan_v3_mstav");
    let b = by_name("milan_v2_virtee");
    let err = verify_vector(
        a,
        &a.report,
        std::slice::from_ref(&b.vek),
        roots,
        inside(&a.vek),
        provider,
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Signature);
    // No key at all.
    let err = verify_vector(a, &a.report, &[], roots, inside(&a.vek), provider).unwrap_err();
    assert_eq!(check_of(err), Check::Format("vek".into()));
    // Two keys: ambiguous.
    let err = verify_vector(
        a,
        &a.report,
        &[a.vek.clone(), b.vek.clone()],
        roots,
        inside(&a.vek),
        provider,
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Format("vek".into()));
    // A v3 Milan report claimed to be Genoa: the key says Milan.
    let policy = Policy::default();
    let mut options = Options::new(roots, inside(&a.vek), &policy);
    options.product = Some(Generation::Genoa);
    let r = Report::parse(&a.report).unwrap();
    let err = verify::verify(
        &a.report,
        std::slice::from_ref(&a.vek),
        &challenge_of(&r),
        &options,
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Format("product".into()));
}

#[test]
fn binding_and_policy_rules_are_named() {
    let Some(vectors) = vectors("binding_and_policy_rules_are_named") else {
        return;
    };
    let roots = AmdRoots::builtin().unwrap();
    let v = vectors
        .iter()
        .find(|v| v.name == "milan_v2_virtee")
        .unwrap();
    let r = Report::parse(&v.report).unwrap();
    let at = inside(&v.vek);
    let certs = std::slice::from_ref(&v.vek);
    let good = challenge_of(&r);
    let run = |challenge: &Challenge, policy: &Policy| {
        verify::verify(
            &v.report,
            certs,
            challenge,
            &Options::new(roots, at, policy),
        )
    };
    let mut other = r.report_data().to_vec();
    other[63] ^= 1;
    let err = run(&Challenge::new(&other).unwrap(), &Policy::default()).unwrap_err();
    assert_eq!(check_of(err), Check::Binding);
    // A prefix of REPORT_DATA is not the challenge: padding is zeros, never a match on a prefix.
    let err = run(
        &Challenge::new(&r.report_data()[..32]).unwrap(),
        &Policy::default(),
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Binding);

    let reported = r.reported_tcb().decode(TcbLayout::MilanGenoa);
    let mut min = reported;
    assert!(
        run(
            &good,
            &Policy {
                min_tcb: Some(min),
                ..Policy::default()
            }
        )
        .is_ok()
    );
    min.snp += 1;
    let err = run(
        &good,
        &Policy {
            min_tcb: Some(min),
            ..Policy::default()
        },
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Policy("min-tcb.snp".into()));
    let err = run(
        &good,
        &Policy {
            allowed_vmpls: Some(vec![1, 2]),
            ..Policy::default()
        },
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Policy("vmpl".into()));
    assert!(
        run(
            &good,
            &Policy {
                allowed_vmpls: Some(vec![0]),
                ..Policy::default()
            }
        )
        .is_ok()
    );
    let mut measurement = *r.measurement();
    assert!(
        run(
            &good,
            &Policy {
                measurement: Some(measurement),
                ..Policy::default()
            }
        )
        .is_ok()
    );
    measurement[0] ^= 1;
    let err = run(
        &good,
        &Policy {
            measurement: Some(measurement),
            ..Policy::default()
        },
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Policy("measurement".into()));
    let err = run(
        &good,
        &Policy {
            host_data: Some([1; 32]),
            ..Policy::default()
        },
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Policy("host-data".into()));
    let err = run(
        &good,
        &Policy {
            id_key_digest: Some([1; 48]),
            ..Policy::default()
        },
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Policy("id-key-digest".into()));
    let err = run(
        &good,
        &Policy {
            author_key_digest: Some([1; 48]),
            ..Policy::default()
        },
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Policy("author-key-digest".into()));
    let err = run(
        &good,
        &Policy {
            min_guest_svn: Some(1),
            ..Policy::default()
        },
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Policy("guest-svn".into()));
}

#[test]
fn reserved_bytes_and_fields_are_checked_by_version() {
    let Some(vectors) = vectors("reserved_bytes_and_fields_are_checked_by_version") else {
        return;
    };
    for v in &vectors {
        let r = Report::parse(&v.report).unwrap();
        let version = r.version();
        let mut mbz: Vec<usize> = vec![0x4C, 0x4D, 0x4E, 0x4F, 0x1EB, 0x1EF];
        mbz.extend(if version >= 3 {
            0x18B..0x1A0
        } else {
            0x188..0x1A0
        });
        mbz.extend(if version >= 5 {
            0x208..0x2A0
        } else {
            0x1F8..0x2A0
        });
        mbz.extend(0x2A0 + 48..0x2A0 + 72);
        mbz.extend(0x2E8 + 48..0x2E8 + 72);
        mbz.extend(0x330..0x4A0);
        for offset in mbz {
            let mut bad = v.report.clone();
            bad[offset] = 0x01;
            let err = Report::parse(&bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Malformed, "{} {offset:#x}", v.name);
        }
        for version in [0u32, 1, 6, 0xFFFF_FFFF] {
            let mut bad = v.report.clone();
            bad[..4].copy_from_slice(&version.to_le_bytes());
            assert!(Report::parse(&bad).is_err(), "version {version}");
        }
        let mut bad = v.report.clone();
        bad[0x34] = 2; // SIGNATURE_ALGO
        assert!(Report::parse(&bad).is_err());
        let mut bad = v.report.clone();
        bad[0x0A] &= !0x02; // POLICY bit 17
        assert!(Report::parse(&bad).is_err());
        let mut bad = v.report.clone();
        bad[0x48] |= 0x08; // SIGNING_KEY 2 is reserved
        assert!(Report::parse(&bad).is_err());
    }
}

#[test]
fn certificate_table_vectors() {
    let test = "certificate_table_vectors";
    let Some(table) = support::corpus_file(test, "snp/ext/turin_v5_mstav_certtable.bin") else {
        return;
    };
    let padded =
        support::corpus_file(test, "snp/ext/turin_v5_mstav_certtable_padded4k.bin").unwrap();
    let vcek = support::corpus_file(test, "snp/reports/turin_v5_mstav/vcek.pem").unwrap();
    let vcek = Certificate::from_pem(&vcek).unwrap();
    let report = support::corpus_file(test, "snp/reports/turin_v5_mstav/report.bin").unwrap();
    for bytes in [&table, &padded] {
        let parsed = CertTable::parse(bytes).unwrap();
        let kinds: Vec<CertKind> = parsed.entries().iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [CertKind::Vcek, CertKind::Ask, CertKind::Ark]);
        assert_eq!(parsed.get(CertKind::Vcek).unwrap(), vcek.der());
        let certs: Vec<Certificate> = parsed
            .entries()
            .iter()
            .map(|e| Certificate::from_der(e.bytes).unwrap())
            .collect();
        let r = Report::parse(&report).unwrap();
        let policy = Policy::default();
        let options = Options::new(AmdRoots::builtin().unwrap(), inside(&vcek), &policy);
        verify::verify(&report, &certs, &challenge_of(&r), &options).unwrap();
    }
    for len in 1..72 + 24 {
        assert!(CertTable::parse(&table[..len]).is_err(), "length {len}");
    }
    // The first blob cut short of its length.
    assert!(CertTable::parse(&table[..96 + 1288]).is_err());
    let rsp = support::corpus_file(test, "snp/ext/turin_v5_mstav_msg_report_rsp_4000.bin").unwrap();
    assert_eq!(&rsp[0x20..0x20 + 0x4A0], &report[..]);
}

#[test]
fn embedded_arks_match_the_corpus_and_their_pins() {
    let test = "embedded_arks_match_the_corpus_and_their_pins";
    let roots = AmdRoots::builtin().unwrap();
    for (generation, fingerprint) in verify::ARK_SHA256 {
        let product = roots.product(generation).unwrap();
        assert_eq!(product.ark.fingerprint_sha256(), fingerprint);
        assert!(product.ark.subject().contains(&format!("ARK-{generation}")));
        assert!(
            product
                .ask
                .as_ref()
                .unwrap()
                .subject()
                .contains(&format!("CN=SEV-{generation}"))
        );
        assert!(
            product
                .asvk
                .as_ref()
                .unwrap()
                .subject()
                .contains(&format!("CN=SEV-VLEK-{generation}"))
        );
        let dir = generation.as_str().to_lowercase();
        let Some(ark) = support::corpus_file(test, &format!("snp/certs/{dir}/ark.pem")) else {
            return;
        };
        assert_eq!(Certificate::from_pem(&ark).unwrap(), product.ark);
    }
}

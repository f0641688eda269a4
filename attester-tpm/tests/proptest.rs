//! No input makes a parser panic: arbitrary bytes, and truncations and bit flips of valid
//! structures built with `marshal`, through every parser and the bundle decoder.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_tpm::marshal::{self, QuoteFields};
use attester_tpm::{
    Attest, HashAlgId, PcrSelection, PcrValues, Public, QuoteBundle, TpmSignature, describe,
};
use proptest::prelude::*;

fn sample_attest(extra: &[u8]) -> Vec<u8> {
    let selection = marshal::pcr_selection(&[
        (HashAlgId::SHA1, &[0, 1, 7]),
        (HashAlgId::SHA256, &[0, 1, 2, 3, 4, 5, 6, 7, 23]),
    ]);
    let mut name = vec![0x00, 0x0b];
    name.extend_from_slice(&[0x11; 32]);
    marshal::quote_attest(&QuoteFields {
        qualified_signer: &name,
        extra_data: extra,
        clock: 1,
        reset_count: 2,
        restart_count: 3,
        firmware_version: 4,
        pcr_select: &selection,
        pcr_digest: &[0x22; 32],
    })
}

fn sample_public() -> Vec<u8> {
    marshal::tpm2b_public(&marshal::ecc_p256_ak_public(&[1; 32], &[2; 32]))
}

fn sample_signature() -> Vec<u8> {
    marshal::ecdsa_signature(HashAlgId::SHA256, &[3; 32], &[4; 31])
}

fn all_parsers(bytes: &[u8]) {
    if let Ok(attest) = Attest::parse(bytes) {
        assert_eq!(attest.as_bytes(), bytes);
        let _ = describe::attest_json(&attest);
        for bank in attest.pcr_select().banks() {
            assert!(bank.indices().all(|i| i < 32));
        }
    }
    if let Ok(public) = Public::parse_tpm2b(bytes) {
        let _ = (describe::public_json(&public), public.key(), public.name());
    }
    if let Ok(public) = Public::parse(bytes) {
        let _ = public.key();
    }
    if let Ok(sig) = TpmSignature::parse(bytes) {
        let _ = describe::signature_json(&sig);
    }
    let _ = PcrSelection::parse(bytes);
    let _ = PcrValues::parse(bytes);
    let _ = QuoteBundle::decode(bytes);
    let _ = describe::bundle_json(bytes);
}

#[test]
fn samples_parse() {
    let attest = sample_attest(&[9; 64]);
    let parsed = Attest::parse(&attest).unwrap();
    assert_eq!(parsed.extra_data(), &[9; 64]);
    assert_eq!(parsed.pcr_select().pcrs().count(), 12);
    Public::parse_tpm2b(&sample_public()).unwrap();
    TpmSignature::parse(&sample_signature()).unwrap();
}

#[test]
fn over_long_fields_are_refused() {
    // extraData of 67 bytes (the maximum is 66).
    let attest = sample_attest(&[9; 67]);
    assert!(Attest::parse(&attest).is_err());
    // 17 banks.
    let mut list = 17u32.to_be_bytes().to_vec();
    for _ in 0..17 {
        list.extend_from_slice(&[0x00, 0x0b, 3, 0xff, 0, 0]);
    }
    assert!(PcrSelection::parse(&list).is_err());
    // sizeofSelect 5.
    assert!(PcrSelection::parse(&[0, 0, 0, 1, 0x00, 0x0b, 5, 1, 1, 1, 1, 1]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        all_parsers(&bytes);
    }

    #[test]
    fn truncations_fail(cut in 0usize..200) {
        for valid in [sample_attest(&[9; 32]), sample_public(), sample_signature()] {
            let cut = cut % valid.len();
            let short = &valid[..cut];
            prop_assert!(Attest::parse(short).is_err());
            prop_assert!(Public::parse_tpm2b(short).is_err());
            prop_assert!(TpmSignature::parse(short).is_err());
        }
    }

    #[test]
    fn bit_flips_never_panic(bit in 0usize..(200 * 8), extra in 0usize..66) {
        for valid in [sample_attest(&vec![9; extra]), sample_public(), sample_signature()] {
            let mut flipped = valid.clone();
            let bit = bit % (valid.len() * 8);
            flipped[bit / 8] ^= 1 << (bit % 8);
            all_parsers(&flipped);
        }
    }

    #[test]
    fn bundles_round_trip(values in proptest::collection::btree_map(0u32..24, any::<[u8; 32]>(), 0..24)) {
        let mut pcrs = PcrValues::new();
        for (index, value) in &values {
            pcrs.insert(HashAlgId::SHA256, *index, value).unwrap();
        }
        let attest = sample_attest(&[1; 8]);
        let signature = sample_signature();
        let ak = sample_public();
        let bundle = QuoteBundle { attest: &attest, signature: &signature, ak_public: &ak, pcrs };
        let encoded = bundle.encode();
        prop_assert_eq!(QuoteBundle::decode(&encoded).unwrap(), bundle);
        for cut in 0..encoded.len() {
            prop_assert!(QuoteBundle::decode(&encoded[..cut]).is_err());
        }
    }
}

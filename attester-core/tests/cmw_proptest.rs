//! Property tests: generated CMWs round-trip in both serializations, and random or mutated
//! input never panics, always yields a typed `Malformed` error or a value that round-trips.

// Helpers outside `#[test]` functions fail loudly too, as clippy.toml allows for tests.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use attester_core::cmw::{
    Cmw, Collection, Encoding, Indicator, Label, Record, RecordType, decode, decode_cbor,
};
use attester_core::media_types;
use attester_core::{
    BinderHash, BindingMode, Challenge, ErrorKind, Evidence, FillRule, Item, Platform,
};
use proptest::prelude::*;
use std::borrow::Cow;

// ---------------------------------------------------------------- generators

fn media_type() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(media_types::ALL.to_vec()).prop_map(str::to_owned),
        "[a-z][a-z0-9.+-]{0,12}/[a-z0-9][a-z0-9.+_-]{0,20}",
        (
            "[a-z]{1,8}/[a-z]{1,8}",
            "[a-z_]{1,8}",
            "[ -!#-\\[\\]-~]{0,16}"
        )
            .prop_map(|(t, k, v)| format!("{t}; {k}=\"{v}\"")),
    ]
}

fn indicator() -> impl Strategy<Value = Option<Indicator>> {
    prop_oneof![
        Just(None),
        (1u32..=31).prop_map(Indicator::new),
        any::<u32>().prop_map(Indicator::new),
    ]
}

fn record(json: bool) -> BoxedStrategy<Record<'static>> {
    let media: BoxedStrategy<RecordType<'static>> = if json {
        media_type().prop_map(RecordType::from).boxed()
    } else {
        prop_oneof![
            media_type().prop_map(RecordType::from),
            any::<u16>().prop_map(RecordType::ContentFormat),
        ]
        .boxed()
    };
    (
        media,
        prop::collection::vec(any::<u8>(), 0..48),
        indicator(),
    )
        .prop_map(|(media_type, value, ind)| Record {
            media_type,
            value: Cow::Owned(value),
            ind,
        })
        .boxed()
}

fn label(json: bool) -> BoxedStrategy<Label<'static>> {
    let text = "[a-zA-Z0-9 _\\-é\"\\\\]{0,10}"
        .prop_filter("__cmwc_t is reserved", |t| t != "__cmwc_t")
        .prop_map(Label::from);
    if json {
        text.boxed()
    } else {
        prop_oneof![text, any::<i64>().prop_map(Label::Int)].boxed()
    }
}

fn collection_type() -> impl Strategy<Value = Option<Cow<'static, str>>> {
    prop::option::of(prop_oneof![
        "tag:[a-z]{1,8}\\.com,20[0-9]{2}:[a-z/-]{1,12}",
        "[0-2](\\.(0|[1-9][0-9]{0,4})){0,5}",
    ])
    .prop_map(|t| t.map(Cow::Owned))
}

fn cmw(json: bool) -> BoxedStrategy<Cmw<'static>> {
    record(json)
        .prop_map(Cmw::Record)
        .prop_recursive(4, 48, 5, move |inner| {
            (
                collection_type(),
                prop::collection::vec((label(json), inner), 1..5),
            )
                .prop_map(|(ctype, entries)| {
                    let mut collection = Collection {
                        ctype,
                        entries: Vec::new(),
                    };
                    for (label, entry) in entries {
                        // Duplicates are dropped; the first entry always stays.
                        let _ = collection.push(label, entry);
                    }
                    Cmw::Collection(collection)
                })
        })
        .boxed()
}

fn item(max: usize) -> impl Strategy<Value = Item> {
    (media_type(), prop::collection::vec(any::<u8>(), 0..max))
        .prop_map(|(media_type, bytes)| Item::new(media_type, bytes))
}

fn evidence() -> impl Strategy<Value = Evidence> {
    let mode = prop_oneof![
        Just(BindingMode::Raw),
        (prop::bool::ANY, ".{0,16}").prop_map(|(sha384, label)| BindingMode::TlsExporter {
            hash: if sha384 {
                BinderHash::Sha384
            } else {
                BinderHash::Sha256
            },
            label,
        }),
    ];
    let fill = prop_oneof![
        Just(FillRule::Exact),
        (1usize..=64).prop_map(|field_len| FillRule::ZeroPad { field_len }),
    ];
    (
        prop::sample::select(Platform::ALL.to_vec()),
        prop::collection::vec(any::<u8>(), 8..=64),
        mode,
        fill,
        item(64),
        prop::collection::vec(item(32), 0..4),
        prop::collection::vec(item(32), 0..3),
    )
        .prop_map(
            |(platform, challenge, binding, fill, body, endorsements, event_logs)| Evidence {
                platform,
                challenge: Challenge::new(&challenge).unwrap(),
                binding,
                fill,
                body,
                endorsements,
                event_logs,
            },
        )
}

#[derive(Clone, Debug)]
enum Mutation {
    FlipBit(usize, u8),
    Truncate(usize),
    Insert(usize, u8),
    Remove(usize),
    Overwrite(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit(at, bit)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        any::<usize>().prop_map(Mutation::Remove),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Overwrite(at, b)),
    ]
}

fn mutate(bytes: &mut Vec<u8>, mutations: &[Mutation]) {
    for m in mutations {
        let len = bytes.len();
        match *m {
            Mutation::FlipBit(at, bit) if len > 0 => bytes[at % len] ^= 1 << bit,
            Mutation::Truncate(at) => bytes.truncate(at % (len + 1)),
            Mutation::Insert(at, b) => bytes.insert(at % (len + 1), b),
            Mutation::Remove(at) if len > 0 => {
                bytes.remove(at % len);
            }
            Mutation::Overwrite(at, b) if len > 0 => bytes[at % len] = b,
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- oracles

/// Whatever `decode` says about `bytes` is consistent: an error is a typed `Malformed` one, and
/// a value re-encodes to bytes that decode to it again, canonically.
fn check_decode(bytes: &[u8]) -> Result<(), TestCaseError> {
    match decode(bytes) {
        Err(e) => prop_assert_eq!(attester_core::Error::from(e).kind(), ErrorKind::Malformed),
        Ok(cmw) => {
            let cbor = cmw.to_cbor();
            let again = decode_cbor(&cbor).unwrap();
            prop_assert_eq!(&again, &cmw);
            prop_assert_eq!(again.to_cbor(), cbor);
            if let Ok(json) = cmw.to_json() {
                let again = decode(json.as_bytes()).unwrap();
                prop_assert_eq!(&again, &cmw);
                prop_assert_eq!(again.to_json().unwrap(), json);
            }
        }
    }
    Ok(())
}

/// Likewise for the evidence profile.
fn check_evidence(bytes: &[u8]) -> Result<(), TestCaseError> {
    match Evidence::from_cmw(bytes) {
        Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Malformed),
        Ok(evidence) => {
            for encoding in [Encoding::Json, Encoding::Cbor] {
                let again = Evidence::from_cmw(&evidence.to_cmw(encoding)).unwrap();
                prop_assert_eq!(&again, &evidence);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn cbor_round_trips(cmw in cmw(false)) {
        let bytes = cmw.to_cbor();
        let back = decode(&bytes).unwrap();
        prop_assert_eq!(&back, &cmw);
        prop_assert_eq!(back.to_cbor(), bytes);
    }

    #[test]
    fn json_round_trips_and_matches_cbor(cmw in cmw(true)) {
        let json = cmw.to_json().unwrap();
        let back = decode(json.as_bytes()).unwrap();
        prop_assert_eq!(&back, &cmw);
        prop_assert_eq!(back.to_json().unwrap(), json);
        let cbor = cmw.to_cbor();
        prop_assert_eq!(decode(&cbor).unwrap(), cmw);
    }

    #[test]
    fn evidence_round_trips(evidence in evidence()) {
        for encoding in [Encoding::Json, Encoding::Cbor] {
            let bytes = evidence.to_cmw(encoding);
            let back = Evidence::from_cmw(&bytes).unwrap();
            prop_assert_eq!(&back, &evidence);
            prop_assert_eq!(back.to_cmw(encoding), bytes);
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        check_decode(&bytes)?;
        check_evidence(&bytes)?;
    }

    #[test]
    fn random_bytes_behind_each_first_byte(
        first in prop::sample::select(vec![0x82u8, 0x83, 0x9f, 0xda, 0xa1, 0xa4, 0xbf, b'[', b'{']),
        rest in prop::collection::vec(any::<u8>(), 0..128),
    ) {
        let mut bytes = vec![first];
        bytes.extend(rest);
        check_decode(&bytes)?;
        check_evidence(&bytes)?;
    }

    #[test]
    fn mutated_cmws_never_panic(
        cmw in cmw(false),
        json in prop::bool::ANY,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut bytes = match cmw.to_json() {
            Ok(text) if json => text.into_bytes(),
            _ => cmw.to_cbor(),
        };
        mutate(&mut bytes, &mutations);
        check_decode(&bytes)?;
    }

    #[test]
    fn mutated_evidence_never_panics(
        evidence in evidence(),
        json in prop::bool::ANY,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let encoding = if json { Encoding::Json } else { Encoding::Cbor };
        let mut bytes = evidence.to_cmw(encoding);
        mutate(&mut bytes, &mutations);
        check_decode(&bytes)?;
        check_evidence(&bytes)?;
    }
}

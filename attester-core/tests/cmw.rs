//! The CMW codec: round trips, the draft's own examples, and every strictness rule.

// Helpers outside `#[test]` functions fail loudly too, as clippy.toml allows for tests.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use attester_core::cmw::{
    self, CF_TAG_MIN, Cmw, CmwError, Collection, Encoding, Indicator, Label, MAX_DEPTH, Record,
    RecordType, decode, decode_cbor, decode_json, encoding_of,
};
use std::borrow::Cow;

fn h(text: &str) -> Vec<u8> {
    let compact: String = text.split_whitespace().collect();
    hex::decode(compact).unwrap()
}

fn err(bytes: &[u8]) -> CmwError {
    match decode(bytes) {
        Ok(cmw) => panic!("decoded {cmw:?}"),
        Err(e) => e,
    }
}

fn rec(media_type: &'static str, value: &'static [u8]) -> Record<'static> {
    Record::new(media_type, value)
}

/// Checks decode(encode(x)) == x and encode(decode(encode(x))) == encode(x) in CBOR, and in
/// JSON when the value has a JSON form.
fn assert_round_trips(cmw: &Cmw<'_>) {
    let cbor = cmw.to_cbor();
    let back = decode(&cbor).unwrap();
    assert_eq!(&back, cmw);
    assert_eq!(back.to_cbor(), cbor);
    if let Ok(json) = cmw.to_json() {
        let back = decode(json.as_bytes()).unwrap();
        assert_eq!(&back, cmw);
        assert_eq!(back.to_json().unwrap(), json);
    }
}

// ---------------------------------------------------------------- round trips

#[test]
fn json_record_without_ind() {
    let cmw = Cmw::Record(rec(
        "application/vnd.example.rats-conceptual-msg",
        &[0x23, 0x47, 0xda, 0x55],
    ));
    let json = cmw.to_json().unwrap();
    assert_eq!(
        json,
        r#"["application/vnd.example.rats-conceptual-msg","I0faVQ"]"#
    );
    assert_round_trips(&cmw);
}

#[test]
fn json_record_with_ind() {
    let cmw = Cmw::Record(rec("application/eat+cwt", &[0xff; 5]).with_ind(Indicator::EVIDENCE));
    assert_eq!(
        cmw.to_json().unwrap(),
        r#"["application/eat+cwt","______8",4]"#
    );
    assert_round_trips(&cmw);
}

#[test]
fn cbor_record_with_text_type_cf_type_and_ind() {
    let text = Cmw::Record(rec("a/b", &[1, 2]));
    assert_eq!(text.to_cbor(), h("82 63 612f62 42 0102"));
    assert_round_trips(&text);

    let cf = Cmw::Record(Record::new(263u16, vec![0xaa]).with_ind(Indicator::EVIDENCE));
    assert_eq!(cf.to_cbor(), h("83 19 0107 41 aa 04"));
    assert_round_trips(&cf);

    let wide_ind = Cmw::Record(rec("a/b", &[]).with_ind(Indicator::new(u32::MAX).unwrap()));
    assert_eq!(wide_ind.to_cbor(), h("83 63 612f62 40 1a ffffffff"));
    assert_round_trips(&wide_ind);
}

#[test]
fn empty_value_has_both_forms() {
    let cmw = Cmw::Record(rec("a/b", &[]));
    assert_eq!(cmw.to_json().unwrap(), r#"["a/b",""]"#);
    assert_round_trips(&cmw);
}

#[test]
fn nested_collections_round_trip() {
    let mut inner = Collection::with_type("1.2.3.4");
    inner.push("x", rec("a/b", b"inner")).unwrap();
    inner
        .push("y", rec("a/c", b"more").with_ind(Indicator::ENDORSEMENTS))
        .unwrap();
    let mut middle = Collection::new();
    middle.push("inner", inner).unwrap();
    middle
        .push("leaf", rec("text/plain; charset=utf-8", b"hello"))
        .unwrap();
    let mut outer = Collection::with_type("tag:example.com,2024:outer");
    outer.push("m", middle).unwrap();
    outer.push("\u{e9}\"\\\n", rec("a/b", &[0])).unwrap();
    let cmw = Cmw::Collection(outer);
    let json = cmw.to_json().unwrap();
    assert!(json.starts_with(
        r#"{"__cmwc_t":"tag:example.com,2024:outer","m":{"inner":{"__cmwc_t":"1.2.3.4","x":"#
    ));
    assert_round_trips(&cmw);

    // JSON and CBOR carry the same value.
    let via_json = decode_json(json.as_bytes()).unwrap();
    assert_eq!(decode_cbor(&via_json.to_cbor()).unwrap(), cmw);
}

#[test]
fn cbor_only_collections_round_trip_and_refuse_json() {
    let mut c = Collection::new();
    c.push(-5i64, Record::new(263u16, vec![1])).unwrap();
    c.push(0i64, rec("a/b", b"z")).unwrap();
    c.push(i64::MIN, rec("a/b", b"y")).unwrap();
    c.push("0", rec("a/b", b"x")).unwrap();
    let cmw = Cmw::Collection(c);
    assert_round_trips(&cmw);
    assert_eq!(cmw.to_json(), Err(CmwError::NotJson("an integer label")));

    let mut cf = Collection::new();
    cf.push("cf", Record::new(263u16, vec![1])).unwrap();
    assert_eq!(
        Cmw::Collection(cf).to_json(),
        Err(CmwError::NotJson("a record typed by a content format"))
    );
    assert_eq!(
        CmwError::NotJson("x").kind(),
        attester_core::ErrorKind::Unsupported
    );
}

#[test]
fn cbor_decode_borrows_the_value() {
    let value = vec![0x5a; 5 * 1024];
    let bytes = Cmw::Record(Record::new("application/octet-stream", value.as_slice())).to_cbor();
    let cmw = decode(&bytes).unwrap();
    let record = cmw.as_record().unwrap();
    let Cow::Borrowed(slice) = &record.value else {
        panic!("value was copied");
    };
    let input = bytes.as_ptr_range();
    assert!(input.contains(&slice.as_ptr()));
    assert_eq!(*slice, value.as_slice());
    assert!(matches!(
        record.media_type,
        RecordType::MediaType(Cow::Borrowed(_))
    ));
}

#[test]
fn indefinite_lengths_are_accepted_and_re_encoded_definite() {
    // [_ "a/b", h'00', 4]
    let record = h("9f 63 612f62 41 00 04 ff");
    let cmw = decode(&record).unwrap();
    assert_eq!(
        cmw,
        Cmw::Record(rec("a/b", &[0]).with_ind(Indicator::EVIDENCE))
    );
    assert_eq!(cmw.to_cbor(), h("83 63 612f62 41 00 04"));
    // {_ "a": [_ "a/b", h'00'] }
    let collection = h("bf 61 61 9f 63 612f62 41 00 ff ff");
    let cmw = decode(&collection).unwrap();
    assert_eq!(cmw.to_cbor(), h("a1 61 61 82 63 612f62 41 00"));
}

#[test]
fn longer_than_needed_integers_are_accepted() {
    // [_ "a/b", h'00', 4] with ind as a 4-byte integer, and a 2-byte text length.
    let bytes = h("83 79 0003 612f62 41 00 1a 00000004");
    let cmw = decode(&bytes).unwrap();
    assert_eq!(
        cmw,
        Cmw::Record(rec("a/b", &[0]).with_ind(Indicator::EVIDENCE))
    );
}

#[test]
fn json_whitespace_is_allowed_around_the_value() {
    let cmw = decode(b" \n\t[ \"a/b\" , \"AA\" , 4 ]\r\n ").unwrap();
    assert_eq!(
        cmw,
        Cmw::Record(rec("a/b", &[0]).with_ind(Indicator::EVIDENCE))
    );
    assert_eq!(encoding_of(b"  {").unwrap(), Encoding::Json);
}

// ---------------------------------------------------------------- the draft's examples
//
// Source: ietf-rats-wg/draft-ietf-rats-msg-wrap, commit f45f5a1, files cddl/cmw-example-*.{json,diag},
// cddl/collection-example-*.{json,diag} (the figures of the "Examples" section). The CBOR bytes
// below were encoded by hand from the diagnostic notation; the comments give the diagnostics.

const EXAMPLE_TYPE: &str = "application/vnd.example.rats-conceptual-msg";
const EXAMPLE_VALUE: &[u8] = &[0x23, 0x47, 0xda, 0x55];

#[test]
fn draft_json_record_examples() {
    // cmw-example-1.json
    let one = decode(br#"["application/vnd.example.rats-conceptual-msg", "I0faVQ"]"#).unwrap();
    assert_eq!(one, Cmw::Record(rec(EXAMPLE_TYPE, EXAMPLE_VALUE)));
    // cmw-example-2.json
    let two = decode(
        br#"["application/eat+cwt; eat_profile=\"tag:psacertified.org,2023:psa#tfm\"", "I0faVQ"]"#,
    )
    .unwrap();
    assert_eq!(
        two,
        Cmw::Record(rec(
            "application/eat+cwt; eat_profile=\"tag:psacertified.org,2023:psa#tfm\"",
            EXAMPLE_VALUE
        ))
    );
}

#[test]
fn draft_cbor_record_examples() {
    // cmw-example-1.diag: [64999, h'2347da55']
    let one = h("82 19 fde7 44 2347da55");
    assert_eq!(
        decode(&one).unwrap(),
        Cmw::Record(Record::new(64_999u16, EXAMPLE_VALUE))
    );
    assert_eq!(decode(&one).unwrap().to_cbor(), one);

    // cmw-example-2.diag: ["application/vnd.example.rats-conceptual-msg", h'2347da55']
    let mut two = h("82 78 2b");
    two.extend_from_slice(EXAMPLE_TYPE.as_bytes());
    two.extend(h("44 2347da55"));
    assert_eq!(
        decode(&two).unwrap(),
        Cmw::Record(rec(EXAMPLE_TYPE, EXAMPLE_VALUE))
    );
    assert_eq!(decode(&two).unwrap().to_cbor(), two);

    // cmw-example-3.diag: ["application/rim+cose", h'd28440a044d901f5a040', 3]
    let mut three = h("83 74");
    three.extend_from_slice(b"application/rim+cose");
    three.extend(h("4a d28440a044d901f5a040 03"));
    let cmw = decode(&three).unwrap();
    assert_eq!(
        cmw,
        Cmw::Record(
            Record::new("application/rim+cose", h("d28440a044d901f5a040"))
                .with_ind(Indicator::REFERENCE_VALUES | Indicator::ENDORSEMENTS)
        )
    );
    assert_eq!(cmw.to_cbor(), three);
}

#[test]
fn draft_tag_examples() {
    // cmw-example-tag-1.diag: 1668612070(h'2347da55'); 1668612070 = 0x6374ffe6.
    let one = h("da 6374ffe6 44 2347da55");
    let cmw = decode(&one).unwrap();
    assert_eq!(cmw, Cmw::Record(Record::new(64_999u16, EXAMPLE_VALUE)));
    // The tag form is re-encoded as the equivalent record (cmw-example-1.diag).
    assert_eq!(cmw.to_cbor(), h("82 19 fde7 44 2347da55"));

    // cmw-example-tag-2.diag: 1668612069(<< { 10: h'a7c76d8424a96fb4' } >>)
    let two = h("da 6374ffe5 4b a1 0a 48 a7c76d8424a96fb4");
    assert_eq!(
        decode(&two).unwrap(),
        Cmw::Record(Record::new(64_998u16, h("a1 0a 48 a7c76d8424a96fb4")))
    );
}

#[test]
fn draft_json_collection_examples() {
    let attester = |media_type: &'static str, value: &'static [u8]| {
        Cmw::Record(Record::new(media_type, value).with_ind(Indicator::EVIDENCE))
    };
    // collection-example-1.json ("e30K" is "{}\n", "oA" is an empty CBOR map)
    let one = decode(
        br#"{
  "attester A": [ "application/eat-ucs+json", "e30K", 4 ],
  "attester B": [ "application/eat-ucs+cbor", "oA", 4 ]
}"#,
    )
    .unwrap();
    let mut expected = Collection::new();
    expected
        .push("attester A", attester("application/eat-ucs+json", b"{}\n"))
        .unwrap();
    expected
        .push("attester B", attester("application/eat-ucs+cbor", &[0xa0]))
        .unwrap();
    assert_eq!(one, Cmw::Collection(expected.clone()));

    // collection-example-2.json: the same with a collection type.
    let two = decode(
        br#"{
  "__cmwc_t": "tag:example.com,2024:another-composite-attester",
  "attester A": [ "application/eat-ucs+json", "e30K", 4 ],
  "attester B": [ "application/eat-ucs+cbor", "oA", 4 ]
}"#,
    )
    .unwrap();
    expected.ctype = Some("tag:example.com,2024:another-composite-attester".into());
    assert_eq!(two, Cmw::Collection(expected));
}

#[test]
fn draft_cbor_collection_example() {
    // collection-example-2.diag:
    // { "__cmwc_t": "tag:example.com,2024:composite-attester",
    //   0: [64999, h'2347da55', 4],
    //   1: 1668612070(h'2347da55'),
    //   2: ["application/eat+jwt", h'2e2e2e', 8] }
    let mut bytes = h("a4 68");
    bytes.extend_from_slice(b"__cmwc_t");
    bytes.extend(h("78 27"));
    bytes.extend_from_slice(b"tag:example.com,2024:composite-attester");
    bytes.extend(h("00 83 19 fde7 44 2347da55 04"));
    bytes.extend(h("01 da 6374ffe6 44 2347da55"));
    bytes.extend(h("02 83 73"));
    bytes.extend_from_slice(b"application/eat+jwt");
    bytes.extend(h("43 2e2e2e 08"));
    let cmw = decode(&bytes).unwrap();
    let collection = cmw.as_collection().unwrap();
    assert_eq!(
        collection.ctype.as_deref(),
        Some("tag:example.com,2024:composite-attester")
    );
    assert_eq!(
        collection.get_int(0),
        Some(&Cmw::Record(
            Record::new(64_999u16, EXAMPLE_VALUE).with_ind(Indicator::EVIDENCE)
        ))
    );
    assert_eq!(
        collection.get_int(1),
        Some(&Cmw::Record(Record::new(64_999u16, EXAMPLE_VALUE)))
    );
    assert_eq!(
        collection.get_int(2),
        Some(&Cmw::Record(
            Record::new("application/eat+jwt", b"...".as_slice())
                .with_ind(Indicator::ATTESTATION_RESULTS)
        ))
    );
    // Re-encoding differs only in entry 1, now a record: 82 19 fde7 44 2347da55.
    let mut normalized = bytes.clone();
    let tag_at = normalized
        .windows(5)
        .position(|w| w == h("da 6374ffe6"))
        .unwrap();
    normalized.splice(tag_at..tag_at + 5, h("82 19 fde7"));
    assert_eq!(cmw.to_cbor(), normalized);
}

// ---------------------------------------------------------------- demultiplexing

#[test]
fn first_byte_rule() {
    for (bytes, encoding) in [
        (h("82"), Encoding::Cbor),
        (h("83"), Encoding::Cbor),
        (h("9f"), Encoding::Cbor),
        (h("da"), Encoding::Cbor),
        (h("a0"), Encoding::Cbor),
        (h("bb"), Encoding::Cbor),
        (h("bf"), Encoding::Cbor),
        (b"[".to_vec(), Encoding::Json),
        (b"{".to_vec(), Encoding::Json),
        (b"\r\n [".to_vec(), Encoding::Json),
    ] {
        assert_eq!(encoding_of(&bytes), Ok(encoding), "{bytes:02x?}");
    }
    for (bytes, first) in [
        (h("80"), 0x80),
        (h("81 00"), 0x81),
        (h("84 00 00 00 00"), 0x84),
        (h("98 02"), 0x98),
        (h("bc"), 0xbc),
        (h("d9 018f a0"), 0xd9),
        (h("db 00000000 6374ffe6 40"), 0xdb),
        (h("00"), 0x00),
        (h("ef bb bf 5b"), 0xef),
        (b"  x".to_vec(), b'x'),
        (b"\"a\"".to_vec(), b'"'),
    ] {
        assert_eq!(
            err(&bytes),
            CmwError::UnknownFirstByte(first),
            "{bytes:02x?}"
        );
    }
    assert_eq!(err(b""), CmwError::Empty);
    assert_eq!(err(b" \n\t\r"), CmwError::Empty);
    assert_eq!(decode_cbor(b""), Err(CmwError::Empty));
    assert_eq!(decode_json(b"  "), Err(CmwError::Empty));
}

#[test]
fn decode_cbor_takes_any_cbor_start() {
    // The first-byte rule is only for telling JSON from CBOR: a caller that knows the input is
    // CBOR may use longer heads.
    assert_eq!(
        decode_cbor(&h("98 02 63 612f62 40")).unwrap(),
        Cmw::Record(rec("a/b", &[]))
    );
}

// ---------------------------------------------------------------- strictness

#[test]
fn wrong_arity() {
    assert_eq!(err(b"[]"), CmwError::WrongArity(0));
    assert_eq!(err(br#"["a/b"]"#), CmwError::WrongArity(1));
    assert_eq!(err(br#"["a/b","AA",4,5]"#), CmwError::WrongArity(4));
    assert_eq!(err(br#"{"x":["a/b"]}"#), CmwError::WrongArity(1));
    // Inside a collection the CBOR head is not constrained by the first-byte rule.
    assert_eq!(err(&h("a1 61 78 81 63 612f62")), CmwError::WrongArity(1));
    assert_eq!(
        err(&h("a1 61 78 84 63 612f62 40 01 01")),
        CmwError::WrongArity(4)
    );
    assert_eq!(err(&h("a1 61 78 80")), CmwError::WrongArity(0));
    // Indefinite records are counted.
    assert_eq!(err(&h("9f ff")), CmwError::WrongArity(0));
    assert_eq!(err(&h("9f 63 612f62 ff")), CmwError::WrongArity(1));
    assert_eq!(
        err(&h("9f 63 612f62 40 01 01 82 00 00 ff")),
        CmwError::WrongArity(5)
    );
}

#[test]
fn empty_collections() {
    assert_eq!(err(b"{}"), CmwError::EmptyCollection);
    assert_eq!(err(&h("a0")), CmwError::EmptyCollection);
    assert_eq!(err(&h("bf ff")), CmwError::EmptyCollection);
    assert_eq!(
        err(br#"{"__cmwc_t":"tag:x,2020:y"}"#),
        CmwError::EmptyCollection
    );
    let mut only_type = h("a1 68");
    only_type.extend_from_slice(b"__cmwc_t");
    only_type.extend(h("61 32"));
    assert_eq!(err(&only_type), CmwError::EmptyCollection);
    assert_eq!(err(br#"{"a":{}}"#), CmwError::EmptyCollection);
}

#[test]
fn duplicate_labels() {
    assert_eq!(
        err(br#"{"a":["a/b","AA"],"a":["a/b","AQ"]}"#),
        CmwError::DuplicateLabel("\"a\"".into())
    );
    assert_eq!(
        err(br#"{"__cmwc_t":"a:b","__cmwc_t":"a:c","x":["a/b","AA"]}"#),
        CmwError::DuplicateLabel("\"__cmwc_t\"".into())
    );
    // { 1: [...], 1: [...] } with the second 1 written in two bytes.
    assert_eq!(
        err(&h("a2 01 82 63 612f62 40 18 01 82 63 612f62 40")),
        CmwError::DuplicateLabel("1".into())
    );
    // { -1: ..., "-1": ... } are different labels.
    assert!(decode(&h("a2 20 82 63 612f62 40 62 2d31 82 63 612f62 40")).is_ok());
}

#[test]
fn trailing_bytes() {
    assert_eq!(err(br#"["a/b","AA"] x"#), CmwError::TrailingBytes);
    assert_eq!(err(br#"["a/b","AA"]]"#), CmwError::TrailingBytes);
    assert_eq!(err(br#"["a/b","AA"]["a/b","AA"]"#), CmwError::TrailingBytes);
    assert_eq!(err(&h("82 63 612f62 40 00")), CmwError::TrailingBytes);
    assert_eq!(
        err(&h("a1 61 61 82 63 612f62 40 ff")),
        CmwError::TrailingBytes
    );
}

#[test]
fn truncation() {
    assert_eq!(err(br#"["a/b","AA""#), CmwError::Truncated);
    assert_eq!(err(br#"{"a":"#), CmwError::Truncated);
    let full = h("83 63 612f62 42 0001 04");
    for cut in 1..full.len() {
        assert_eq!(err(&full[..cut]), CmwError::Truncated, "cut at {cut}");
    }
}

#[test]
fn bad_indicators() {
    assert_eq!(err(br#"["a/b","AA",0]"#), CmwError::BadIndicator("zero"));
    assert_eq!(
        err(br#"["a/b","AA",4294967296]"#),
        CmwError::BadIndicator("wider than 32 bits")
    );
    assert_eq!(
        err(br#"["a/b","AA",-4]"#),
        CmwError::BadIndicator("not an unsigned integer")
    );
    assert_eq!(
        err(br#"["a/b","AA",4.0]"#),
        CmwError::BadIndicator("not an unsigned integer")
    );
    assert_eq!(
        err(br#"["a/b","AA","4"]"#),
        CmwError::BadIndicator("not an unsigned integer")
    );
    assert_eq!(
        err(br#"["a/b","AA",null]"#),
        CmwError::BadIndicator("not an unsigned integer")
    );
    assert_eq!(
        err(&h("83 63 612f62 40 00")),
        CmwError::BadIndicator("zero")
    );
    assert_eq!(
        err(&h("83 63 612f62 40 1b 0000000100000000")),
        CmwError::BadIndicator("wider than 32 bits")
    );
    assert_eq!(
        err(&h("83 63 612f62 40 23")),
        CmwError::BadIndicator("not an unsigned integer")
    );
    assert_eq!(
        err(&h("83 63 612f62 40 61 34")),
        CmwError::BadIndicator("not an unsigned integer")
    );
    // The largest allowed value.
    assert!(decode(br#"["a/b","AA",4294967295]"#).is_ok());
}

#[test]
fn base64url_is_strict() {
    for bad in [
        "AA==", // padding
        "AA=", "+w", // standard alphabet
        "/w", "AB",   // non-zero trailing bits (canonical: "AA")
        "AAB",  // likewise for two bytes (canonical: "AAA")
        "A",    // impossible length
        "AA A", // whitespace
        "AA\\n", "ÀA",
    ] {
        let json = format!(r#"["a/b","{bad}"]"#);
        assert_eq!(err(json.as_bytes()), CmwError::BadBase64, "{bad}");
    }
    assert_eq!(
        decode(br#"["a/b","-_8"]"#).unwrap(),
        Cmw::Record(Record::new("a/b", vec![0xfb, 0xff]))
    );
}

#[test]
fn bad_media_types() {
    assert!(matches!(
        err(br#"["not a type","AA"]"#),
        CmwError::BadMediaType(_)
    ));
    assert!(matches!(err(br#"["","AA"]"#), CmwError::BadMediaType(_)));
    assert!(matches!(
        err(br#"["a/b;","AA"]"#),
        CmwError::BadMediaType(_)
    ));
    assert!(matches!(err(&h("82 61 61 40")), CmwError::BadMediaType(_)));
}

#[test]
fn wrong_types() {
    assert_eq!(
        err(br#"[263,"AA"]"#),
        CmwError::UnexpectedType {
            at: "record type",
            expected: "a media type string (JSON has no content formats)",
            found: "an unsigned integer",
        }
    );
    assert!(matches!(
        err(br#"["a/b",[]]"#),
        CmwError::UnexpectedType {
            at: "record value",
            ..
        }
    ));
    assert!(matches!(
        err(br#"{"a":"x"}"#),
        CmwError::UnexpectedType {
            at: "collection entry",
            found: "a string",
            ..
        }
    ));
    assert!(matches!(
        decode_json(b"true"),
        Err(CmwError::UnexpectedType { at: "CMW", .. })
    ));
    // CBOR: value as text, type as bytes or a negative integer, label as bytes, entry as int.
    assert!(matches!(
        err(&h("82 63 612f62 61 41")),
        CmwError::UnexpectedType {
            at: "record value",
            found: "a text string",
            ..
        }
    ));
    assert!(matches!(
        err(&h("82 41 00 40")),
        CmwError::UnexpectedType {
            at: "record type",
            found: "a byte string",
            ..
        }
    ));
    assert!(matches!(
        err(&h("82 20 40")),
        CmwError::UnexpectedType {
            at: "record type",
            found: "a negative integer",
            ..
        }
    ));
    assert!(matches!(
        err(&h("a1 41 00 82 63 612f62 40")),
        CmwError::UnexpectedType {
            at: "collection label",
            ..
        }
    ));
    assert!(matches!(
        err(&h("a1 f5 82 63 612f62 40")),
        CmwError::UnexpectedType {
            at: "collection label",
            found: "a boolean",
            ..
        }
    ));
    assert!(matches!(
        err(&h("a1 61 61 01")),
        CmwError::UnexpectedType {
            at: "CMW",
            found: "an unsigned integer",
            ..
        }
    ));
    assert!(matches!(
        err(&h("a1 61 61 ff")),
        CmwError::UnexpectedType {
            at: "CMW",
            found: "a break",
            ..
        }
    ));
    assert_eq!(
        err(&h("82 1a 00010000 40")),
        CmwError::BadContentFormat(65_536)
    );
    assert_eq!(
        err(&h("a1 3b ffffffffffffffff 82 63 612f62 40")),
        CmwError::LabelOutOfRange
    );
}

#[test]
fn indefinite_strings_are_refused() {
    assert_eq!(
        err(&h("82 63 612f62 5f 41 00 ff")),
        CmwError::IndefiniteString("record value")
    );
    assert_eq!(
        err(&h("82 7f 63 612f62 ff 40")),
        CmwError::IndefiniteString("record type")
    );
    assert_eq!(
        err(&h("a1 7f 61 61 ff 82 63 612f62 40")),
        CmwError::IndefiniteString("collection label")
    );
    assert_eq!(
        err(&h("da 6374ffe6 5f 41 00 ff")),
        CmwError::IndefiniteString("tag content")
    );
}

#[test]
fn tags_outside_the_content_format_range() {
    assert_eq!(err(&h("da 00000001 40")), CmwError::BadTag(1));
    assert_eq!(err(&h("da 63740100 40")), CmwError::BadTag(CF_TAG_MIN - 1));
    assert_eq!(
        err(&h("da 63740200 40")),
        CmwError::BadTag(CF_TAG_MIN + 255)
    );
    assert_eq!(err(&h("da 637500ff 40")), CmwError::BadTag(0x6375_00ff));
    assert!(matches!(
        err(&h("da 6374ffe6 82 00 40")),
        CmwError::UnexpectedType {
            at: "tag content",
            ..
        }
    ));
    // A Tag CMW inside a collection, with a tag head of any width.
    let bytes = h("a1 61 74 db 000000006374ffe6 41 00");
    let cmw = decode(&bytes).unwrap();
    assert_eq!(
        cmw.as_collection().unwrap().get("t"),
        Some(&Cmw::Record(Record::new(64_999u16, vec![0])))
    );
}

#[test]
fn bad_collection_types() {
    assert_eq!(
        err(br#"{"__cmwc_t":5,"a":["a/b","AA"]}"#),
        CmwError::BadCollectionType
    );
    assert_eq!(
        err(br#"{"__cmwc_t":"relative/ref","a":["a/b","AA"]}"#),
        CmwError::BadCollectionType
    );
    assert_eq!(
        err(br#"{"__cmwc_t":"1.02","a":["a/b","AA"]}"#),
        CmwError::BadCollectionType
    );
    let mut cbor = h("a2 68");
    cbor.extend_from_slice(b"__cmwc_t");
    cbor.extend(h("41 00 61 61 82 63 612f62 40"));
    assert_eq!(err(&cbor), CmwError::BadCollectionType);
}

#[test]
fn malformed_syntax() {
    assert!(matches!(err(br#"["a/b","AA",]"#), CmwError::InvalidJson(_)));
    assert!(matches!(
        err(br#"{"a" ["a/b","AA"]}"#),
        CmwError::InvalidJson(_)
    ));
    assert!(matches!(
        err(b"[\"a/\xff\",\"AA\"]"),
        CmwError::InvalidJson(_)
    ));
    // Invalid UTF-8 in a CBOR text string.
    assert!(matches!(
        err(&h("82 63 612fff 40")),
        CmwError::InvalidCbor(_)
    ));
    // A reserved additional-information value where the value should be.
    assert_eq!(
        err(&h("82 63 612f62 5c")),
        CmwError::UnexpectedType {
            at: "record value",
            expected: "a byte string",
            found: "a reserved initial byte",
        }
    );
    // A reserved value inside an item being skipped while counting an indefinite record.
    assert!(matches!(
        err(&h("9f 63 612f62 40 01 1c ff")),
        CmwError::InvalidCbor(_)
    ));
}

#[test]
fn every_error_is_malformed_through_the_crate_error() {
    let e: attester_core::Error = err(b"[]").into();
    assert_eq!(e.kind(), attester_core::ErrorKind::Malformed);
    assert!(matches!(
        e,
        attester_core::Error::Cmw(CmwError::WrongArity(0))
    ));
}

// ---------------------------------------------------------------- depth

fn nested_json(levels: usize) -> Vec<u8> {
    let mut out = "{\"a\":".repeat(levels);
    out.push_str(r#"["a/b","AA"]"#);
    out.push_str(&"}".repeat(levels));
    out.into_bytes()
}

fn nested_cbor(levels: usize) -> Vec<u8> {
    let mut out = h("a1 61 61").repeat(levels);
    out.extend(h("82 63 612f62 40"));
    out
}

#[test]
fn depth_limit_is_exact() {
    assert!(decode(&nested_json(MAX_DEPTH)).is_ok());
    assert!(decode(&nested_cbor(MAX_DEPTH)).is_ok());
    assert_eq!(
        err(&nested_json(MAX_DEPTH + 1)),
        CmwError::TooDeep(MAX_DEPTH)
    );
    assert_eq!(
        err(&nested_cbor(MAX_DEPTH + 1)),
        CmwError::TooDeep(MAX_DEPTH)
    );
    // Encoding a value at the limit gives bytes that decode.
    let bytes = nested_cbor(MAX_DEPTH);
    let cmw = decode(&bytes).unwrap();
    assert_eq!(decode(cmw.to_json().unwrap().as_bytes()).unwrap(), cmw);
}

#[test]
fn a_thousand_levels_fail_cleanly() {
    assert_eq!(err(&nested_json(1000)), CmwError::TooDeep(MAX_DEPTH));
    assert_eq!(err(&nested_cbor(1000)), CmwError::TooDeep(MAX_DEPTH));
    // Deep arrays (not a CMW at all), deep indefinite maps, and unbalanced input.
    assert_eq!(err(&b"[".repeat(100_000)), CmwError::TooDeep(MAX_DEPTH));
    assert_eq!(
        err(&h("bf 61 61").repeat(1000)),
        CmwError::TooDeep(MAX_DEPTH)
    );
    assert_eq!(
        err(&h("a1 61 61").repeat(100_000)),
        CmwError::TooDeep(MAX_DEPTH)
    );
    let mut bracket_soup = b"{\"a\":".repeat(1000);
    bracket_soup.extend(b"]".repeat(1000));
    assert_eq!(err(&bracket_soup), CmwError::TooDeep(MAX_DEPTH));
}

#[test]
fn forged_lengths_do_not_allocate() {
    // A map claiming 2^64-1 entries, and a byte string claiming 2^64-1 bytes.
    assert_eq!(err(&h("bb ffffffffffffffff 61 61")), CmwError::Truncated);
    assert_eq!(
        err(&h("82 63 612f62 5b ffffffffffffffff 00")),
        CmwError::Truncated
    );
}

#[test]
fn labels_display_for_messages() {
    assert_eq!(Label::from("x").to_string(), "\"x\"");
    assert_eq!(Label::from(-3i64).to_string(), "-3");
    assert_eq!(cmw::cf_to_tag(64_999), Some(1_668_612_070));
}

//! Evidence in its CMW envelope: round trips in both serializations, the examples of
//! `docs/evidence-format.md`, and every rule of the evidence profile and the binding record.

// Helpers outside `#[test]` functions fail loudly too, as clippy.toml allows for tests.
#![allow(clippy::unwrap_used, clippy::panic)]

use attester_core::cmw::{
    BindingError, Cmw, CmwError, Collection, EVIDENCE_PROFILE, Encoding, Indicator, Record, decode,
};
use attester_core::media_types::{BINDING_CBOR, BINDING_JSON, MOCK_EAT, PKIX_CERT};
use attester_core::{
    BinderHash, BindingMode, Challenge, Error, ErrorKind, Evidence, FillRule, Item, Platform,
};

fn h(text: &str) -> Vec<u8> {
    let compact: String = text.split_whitespace().collect();
    hex::decode(compact).unwrap()
}

/// The example of `docs/evidence-format.md` (its body and certificate are stand-ins).
fn doc_example() -> Evidence {
    Evidence {
        platform: Platform::Mock,
        challenge: Challenge::new(&(0u8..16).collect::<Vec<_>>()).unwrap(),
        binding: BindingMode::Raw,
        fill: FillRule::Exact,
        body: Item::new(MOCK_EAT, h("d2 84 43 a1 01 26")),
        endorsements: vec![Item::new(PKIX_CERT, h("30 82 01 0a"))],
        event_logs: vec![],
    }
}

fn tls_example() -> Evidence {
    Evidence {
        platform: Platform::Snp,
        challenge: Challenge::new(&[0xab; 32]).unwrap(),
        binding: BindingMode::TlsExporter {
            hash: BinderHash::Sha256,
            label: "Attestation".to_owned(),
        },
        fill: FillRule::ZeroPad { field_len: 64 },
        ..doc_example()
    }
}

fn full_example() -> Evidence {
    Evidence {
        platform: Platform::Tpm,
        challenge: Challenge::new(&[7; 64]).unwrap(),
        binding: BindingMode::TlsExporter {
            hash: BinderHash::Sha384,
            label: "Attestation Binding \"quoted\" é".to_owned(),
        },
        fill: FillRule::Exact,
        body: Item::new("application/vnd.attester.tpm-quote", vec![1; 300]),
        endorsements: (0..12)
            .map(|i| Item::new(PKIX_CERT, vec![i; usize::from(i)]))
            .collect(),
        event_logs: vec![
            Item::new("application/vnd.attester.tcg-eventlog", vec![9; 1000]),
            Item::new("application/vnd.attester.ccel", vec![]),
        ],
    }
}

fn cmw_err(result: attester_core::Result<Evidence>) -> CmwError {
    match result {
        Err(Error::Cmw(e)) => e,
        other => panic!("expected a CMW error, got {other:?}"),
    }
}

fn binding_err(result: attester_core::Result<Evidence>) -> BindingError {
    match cmw_err(result) {
        CmwError::Binding(e) => e,
        other => panic!("expected a binding error, got {other:?}"),
    }
}

/// An envelope with a valid evidence entry and the given binding record.
fn with_binding(media_type: &str, record: &[u8]) -> Vec<u8> {
    let mut c = Collection::with_type(EVIDENCE_PROFILE);
    c.push(
        "evidence",
        Record::new(MOCK_EAT, vec![1, 2, 3]).with_ind(Indicator::EVIDENCE),
    )
    .unwrap();
    c.push("binding", Record::new(media_type, record.to_vec()))
        .unwrap();
    Cmw::Collection(c).to_cbor()
}

fn json_binding(record: &str) -> attester_core::Result<Evidence> {
    Evidence::from_cmw(&with_binding(BINDING_JSON, record.as_bytes()))
}

fn cbor_binding(record: &[u8]) -> attester_core::Result<Evidence> {
    Evidence::from_cmw(&with_binding(BINDING_CBOR, record))
}

/// The envelope of `doc_example()` as a collection, for tests that edit one entry.
fn editable() -> Collection<'static> {
    let bytes = doc_example().to_cmw(Encoding::Cbor);
    let Cmw::Collection(c) = decode(&bytes).unwrap().into_owned() else {
        panic!("not a collection");
    };
    c
}

fn replace(c: &mut Collection<'static>, label: &str, cmw: Cmw<'static>) {
    let slot = c
        .entries
        .iter_mut()
        .find(|(l, _)| l.as_text() == Some(label))
        .unwrap();
    slot.1 = cmw;
}

fn remove(c: &mut Collection<'static>, label: &str) {
    c.entries.retain(|(l, _)| l.as_text() != Some(label));
}

fn from(c: Collection<'static>) -> attester_core::Result<Evidence> {
    Evidence::from_cmw(&Cmw::Collection(c).to_cbor())
}

// ---------------------------------------------------------------- round trips

#[test]
fn round_trips_in_both_serializations() {
    for evidence in [doc_example(), tls_example(), full_example()] {
        for encoding in [Encoding::Json, Encoding::Cbor] {
            let bytes = evidence.to_cmw(encoding);
            let back = Evidence::from_cmw(&bytes).unwrap();
            assert_eq!(back, evidence, "{encoding:?}");
            assert_eq!(back.to_cmw(encoding), bytes, "{encoding:?}");
            // The generic codec re-encodes the envelope byte for byte.
            let cmw = decode(&bytes).unwrap();
            match encoding {
                Encoding::Json => assert_eq!(cmw.to_json().unwrap().into_bytes(), bytes),
                Encoding::Cbor => assert_eq!(cmw.to_cbor(), bytes),
            }
            assert_eq!(Evidence::from_cmw_value(&cmw).unwrap(), evidence);
        }
    }
}

#[test]
fn value_form_embeds_and_matches_the_bytes() {
    let evidence = full_example();
    assert_eq!(
        evidence.to_cmw_value(Encoding::Cbor).to_cbor(),
        evidence.to_cmw(Encoding::Cbor)
    );
    assert_eq!(
        evidence
            .to_cmw_value(Encoding::Json)
            .to_json()
            .unwrap()
            .into_bytes(),
        evidence.to_cmw(Encoding::Json)
    );
    // Inside a larger collection the envelope is one entry.
    let mut outer = Collection::new();
    outer
        .push("tee", evidence.to_cmw_value(Encoding::Cbor))
        .unwrap();
    let bytes = Cmw::Collection(outer).to_cbor();
    let decoded = decode(&bytes).unwrap();
    let inner = decoded.as_collection().unwrap().get("tee").unwrap();
    assert_eq!(Evidence::from_cmw_value(inner).unwrap(), evidence);
}

#[test]
fn converted_envelopes_still_decode() {
    // A generic tool converting a JSON envelope to CBOR keeps the JSON binding record; its own
    // media type says how to read it.
    let evidence = tls_example();
    let json = evidence.to_cmw(Encoding::Json);
    let as_cbor = decode(&json).unwrap().to_cbor();
    assert_eq!(Evidence::from_cmw(&as_cbor).unwrap(), evidence);
    let cbor = evidence.to_cmw(Encoding::Cbor);
    let as_json = decode(&cbor).unwrap().to_json().unwrap();
    assert_eq!(Evidence::from_cmw(as_json.as_bytes()).unwrap(), evidence);
}

#[test]
fn entries_may_come_in_any_order() {
    let mut c = editable();
    c.entries.reverse();
    assert_eq!(from(c).unwrap(), doc_example());
    let evidence = full_example();
    let Cmw::Collection(mut c) = decode(&evidence.to_cmw(Encoding::Cbor))
        .unwrap()
        .into_owned()
    else {
        panic!()
    };
    c.entries.reverse();
    assert_eq!(from(c).unwrap(), evidence);
}

// ---------------------------------------------------------------- docs/evidence-format.md

const DOC: &str = include_str!("../../docs/evidence-format.md");

const DOC_JSON: &str = r#"{"__cmwc_t":"tag:github.com,2026:attester-rs/attester/evidence/v1","evidence":["application/eat+cwt; eat_profile=\"tag:github.com,2026:attester-rs/attester/mock/v1\"","0oRDoQEm",4],"binding":["application/vnd.attester.binding+json","eyJwbGF0Zm9ybSI6Im1vY2siLCJjaGFsbGVuZ2UiOiIwMDAxMDIwMzA0MDUwNjA3MDgwOTBhMGIwYzBkMGUwZiIsIm1vZGUiOiJyYXciLCJmaWxsIjoiZXhhY3QifQ"],"endorsement-0":["application/pkix-cert","MIIBCg",2]}"#;

const DOC_BINDING_JSON: &str = r#"{"platform":"mock","challenge":"000102030405060708090a0b0c0d0e0f","mode":"raw","fill":"exact"}"#;

const DOC_TLS_BINDING_JSON: &str = r#"{"platform":"snp","challenge":"abababababababababababababababababababababababababababababababab","mode":"tls-exporter","hash":"sha256","label":"Attestation","fill":"zero-pad-64"}"#;

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn binding_record(evidence: &Evidence, encoding: Encoding) -> Vec<u8> {
    let bytes = evidence.to_cmw(encoding);
    let cmw = decode(&bytes).unwrap();
    let record = cmw
        .as_collection()
        .unwrap()
        .get("binding")
        .unwrap()
        .as_record()
        .unwrap();
    record.value.to_vec()
}

#[test]
fn doc_examples_are_what_the_code_writes() {
    let doc = squeeze(DOC);
    let json = String::from_utf8(doc_example().to_cmw(Encoding::Json)).unwrap();
    assert_eq!(json, DOC_JSON);
    assert!(doc.contains(&squeeze(DOC_JSON)), "JSON envelope");

    let binding = String::from_utf8(binding_record(&doc_example(), Encoding::Json)).unwrap();
    assert_eq!(binding, DOC_BINDING_JSON);
    assert!(
        doc.contains(&squeeze(DOC_BINDING_JSON)),
        "JSON binding record"
    );
    let tls = String::from_utf8(binding_record(&tls_example(), Encoding::Json)).unwrap();
    assert_eq!(tls, DOC_TLS_BINDING_JSON);
    assert!(
        doc.contains(&squeeze(DOC_TLS_BINDING_JSON)),
        "TLS binding record"
    );

    let cbor = hex::encode(doc_example().to_cmw(Encoding::Cbor));
    assert!(doc.contains(&cbor), "CBOR envelope hex");
    let cbor_binding = hex::encode(binding_record(&tls_example(), Encoding::Cbor));
    assert!(doc.contains(&cbor_binding), "CBOR binding record hex");
}

// ---------------------------------------------------------------- the envelope

#[test]
fn the_envelope_must_be_a_profiled_collection() {
    let record = Cmw::Record(Record::new(MOCK_EAT, vec![1]).with_ind(Indicator::EVIDENCE));
    assert_eq!(
        cmw_err(Evidence::from_cmw(&record.to_cbor())),
        CmwError::NotACollection
    );

    let mut c = editable();
    c.ctype = None;
    assert_eq!(cmw_err(from(c)), CmwError::WrongProfile { found: None });
    let mut c = editable();
    c.ctype = Some("tag:github.com,2026:attester-rs/attester/evidence/v2".into());
    assert_eq!(
        cmw_err(from(c)),
        CmwError::WrongProfile {
            found: Some("tag:github.com,2026:attester-rs/attester/evidence/v2".to_owned())
        }
    );
}

#[test]
fn required_entries() {
    let mut c = editable();
    remove(&mut c, "evidence");
    assert_eq!(cmw_err(from(c)), CmwError::MissingEntry("evidence"));
    let mut c = editable();
    remove(&mut c, "binding");
    assert_eq!(cmw_err(from(c)), CmwError::MissingEntry("binding"));
}

#[test]
fn unknown_labels() {
    for label in [
        "extra",
        "Evidence",
        "endorsement-01",
        "endorsement-",
        "event-log-x",
    ] {
        let mut c = editable();
        c.push(label.to_owned(), Record::new(PKIX_CERT, vec![1]))
            .unwrap();
        assert_eq!(
            cmw_err(from(c)),
            CmwError::UnknownLabel(format!("{label:?}")),
            "{label}"
        );
    }
    let mut c = editable();
    c.push(0i64, Record::new(PKIX_CERT, vec![1])).unwrap();
    assert_eq!(cmw_err(from(c)), CmwError::UnknownLabel("0".to_owned()));
}

#[test]
fn entries_must_be_media_typed_records() {
    let mut c = editable();
    let mut nested = Collection::new();
    nested.push("x", Record::new(PKIX_CERT, vec![1])).unwrap();
    replace(&mut c, "endorsement-0", Cmw::Collection(nested));
    assert_eq!(
        cmw_err(from(c)),
        CmwError::NotARecord("\"endorsement-0\"".to_owned())
    );

    let mut c = editable();
    replace(
        &mut c,
        "evidence",
        Cmw::Record(Record::new(263u16, vec![1]).with_ind(Indicator::EVIDENCE)),
    );
    assert_eq!(
        cmw_err(from(c)),
        CmwError::ContentFormatType("\"evidence\"".to_owned())
    );
}

#[test]
fn indicators_are_prescribed() {
    let cases: [(&str, Option<Indicator>, Option<u32>); 5] = [
        ("evidence", None, Some(4)),
        (
            "evidence",
            Some(Indicator::EVIDENCE | Indicator::ENDORSEMENTS),
            Some(4),
        ),
        ("endorsement-0", Some(Indicator::EVIDENCE), Some(2)),
        ("binding", Some(Indicator::EVIDENCE), None),
        ("event-log-0", Some(Indicator::ENDORSEMENTS), None),
    ];
    for (label, ind, expected) in cases {
        let mut c = editable();
        if label == "event-log-0" {
            c.push(
                "event-log-0",
                Record::new("application/vnd.attester.ccel", vec![1]),
            )
            .unwrap();
        }
        let (_, entry) = c
            .entries
            .iter_mut()
            .find(|(l, _)| l.as_text() == Some(label))
            .unwrap();
        let Cmw::Record(record) = entry else { panic!() };
        record.ind = ind;
        assert_eq!(
            cmw_err(from(c)),
            CmwError::WrongIndicator {
                label: format!("{label:?}"),
                expected,
                found: ind.map(Indicator::bits),
            },
            "{label}"
        );
    }
}

#[test]
fn numbered_entries_count_from_zero() {
    let mut c = editable();
    c.push(
        "endorsement-2",
        Record::new(PKIX_CERT, vec![1]).with_ind(Indicator::ENDORSEMENTS),
    )
    .unwrap();
    assert_eq!(
        cmw_err(from(c)),
        CmwError::IndexGap {
            prefix: "endorsement-",
            index: 1
        }
    );
    let mut c = editable();
    c.push(
        "event-log-1",
        Record::new("application/vnd.attester.ccel", vec![1]),
    )
    .unwrap();
    assert_eq!(
        cmw_err(from(c)),
        CmwError::IndexGap {
            prefix: "event-log-",
            index: 0
        }
    );
    // A hand-built value (which the decoder would refuse) with a label twice.
    let mut c = editable();
    let duplicate = c
        .entries
        .iter()
        .find(|(l, _)| l.as_text() == Some("endorsement-0"))
        .cloned()
        .unwrap();
    c.entries.push(duplicate);
    assert_eq!(
        Evidence::from_cmw_value(&Cmw::Collection(c)).map_err(|e| e.to_string()),
        Err(CmwError::DuplicateLabel("\"endorsement-0\"".to_owned()).to_string())
    );
}

#[test]
fn codec_errors_pass_through() {
    assert_eq!(cmw_err(Evidence::from_cmw(b"")), CmwError::Empty);
    let mut deep = "{\"a\":".repeat(1000).into_bytes();
    deep.extend(b"}".repeat(1000));
    assert_eq!(cmw_err(Evidence::from_cmw(&deep)), CmwError::TooDeep(16));
    let mut cbor_deep = h("a1 61 61").repeat(1000);
    cbor_deep.extend(h("82 63 612f62 40"));
    assert_eq!(
        cmw_err(Evidence::from_cmw(&cbor_deep)),
        CmwError::TooDeep(16)
    );
    let e = Evidence::from_cmw(b"[]").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Malformed);
}

// ---------------------------------------------------------------- the binding record

const RAW: &str = r#""platform":"mock","challenge":"0001020304050607","mode":"raw","fill":"exact""#;

#[test]
fn binding_record_json_accepts_any_key_order() {
    let e = json_binding(
        r#"{"fill":"exact","mode":"raw","challenge":"0001020304050607","platform":"mock"}"#,
    )
    .unwrap();
    assert_eq!(e.challenge.as_bytes(), &[0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(e.platform, Platform::Mock);
    assert_eq!(e.binding, BindingMode::Raw);
}

#[test]
fn binding_record_keys_are_strict() {
    assert_eq!(
        binding_err(json_binding(&format!("{{{RAW},\"extra\":\"x\"}}"))),
        BindingError::UnknownKey("extra".to_owned())
    );
    assert_eq!(
        binding_err(json_binding(&format!("{{{RAW},\"fill\":\"exact\"}}"))),
        BindingError::DuplicateKey("fill")
    );
    assert_eq!(
        binding_err(json_binding(&format!(
            "{{{RAW},\"challenge\":\"0001020304050607\"}}"
        ))),
        BindingError::DuplicateKey("challenge")
    );
    for (key, without) in [
        (
            "platform",
            r#"{"challenge":"0001020304050607","mode":"raw","fill":"exact"}"#,
        ),
        (
            "challenge",
            r#"{"platform":"mock","mode":"raw","fill":"exact"}"#,
        ),
        (
            "mode",
            r#"{"platform":"mock","challenge":"0001020304050607","fill":"exact"}"#,
        ),
        (
            "fill",
            r#"{"platform":"mock","challenge":"0001020304050607","mode":"raw"}"#,
        ),
        (
            "hash",
            r#"{"platform":"mock","challenge":"0001020304050607","mode":"tls-exporter","label":"Attestation","fill":"exact"}"#,
        ),
        (
            "label",
            r#"{"platform":"mock","challenge":"0001020304050607","mode":"tls-exporter","hash":"sha256","fill":"exact"}"#,
        ),
    ] {
        assert_eq!(
            binding_err(json_binding(without)),
            BindingError::MissingKey(key),
            "{key}"
        );
    }
    assert_eq!(
        binding_err(json_binding(&format!("{{{RAW},\"hash\":\"sha256\"}}"))),
        BindingError::NotForRaw("hash")
    );
    assert_eq!(
        binding_err(json_binding(&format!(
            "{{{RAW},\"label\":\"Attestation\"}}"
        ))),
        BindingError::NotForRaw("label")
    );
}

#[test]
fn binding_record_values_are_strict() {
    let with = |key: &str, value: &str| {
        let mut fields = vec![
            ("platform", "\"mock\"".to_owned()),
            ("challenge", "\"0001020304050607\"".to_owned()),
            ("mode", "\"raw\"".to_owned()),
            ("fill", "\"exact\"".to_owned()),
        ];
        for field in &mut fields {
            if field.0 == key {
                field.1 = value.to_owned();
            }
        }
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        json_binding(&format!("{{{}}}", body.join(",")))
    };
    assert_eq!(
        binding_err(with("challenge", "\"00010203040506\"")),
        BindingError::ChallengeLength(7)
    );
    assert_eq!(
        binding_err(with("challenge", &format!("\"{}\"", "00".repeat(65)))),
        BindingError::ChallengeLength(65)
    );
    assert_eq!(
        binding_err(with("challenge", "\"\"")),
        BindingError::ChallengeLength(0)
    );
    assert!(with("challenge", &format!("\"{}\"", "00".repeat(64))).is_ok());
    assert_eq!(
        binding_err(with("challenge", "\"000102030405060A\"")),
        BindingError::ChallengeHex
    );
    assert_eq!(
        binding_err(with("challenge", "\"000102030405060\"")),
        BindingError::ChallengeHex
    );
    assert_eq!(
        binding_err(with("challenge", "\" 0001020304050607\"")),
        BindingError::ChallengeHex
    );
    assert_eq!(
        binding_err(with("challenge", "[0,1,2,3,4,5,6,7]")),
        BindingError::WrongType("challenge")
    );
    assert_eq!(
        binding_err(with("platform", "1")),
        BindingError::WrongType("platform")
    );
    assert_eq!(
        binding_err(with("platform", "\"Mock\"")),
        BindingError::UnknownPlatform("Mock".to_owned())
    );
    assert_eq!(
        binding_err(with("mode", "\"hashed\"")),
        BindingError::UnknownMode("hashed".to_owned())
    );
    for fill in [
        "zero-pad-064",
        "zero-pad-+64",
        "zero-pad-65",
        "zero-pad-0",
        "Exact",
    ] {
        assert_eq!(
            binding_err(with("fill", &format!("\"{fill}\""))),
            BindingError::UnknownFill(fill.to_owned()),
            "{fill}"
        );
    }
    assert!(with("fill", "\"zero-pad-64\"").is_ok());
    assert_eq!(
        binding_err(json_binding(
            r#"{"platform":"snp","challenge":"0001020304050607","mode":"tls-exporter","hash":"sha512","label":"x","fill":"exact"}"#
        )),
        BindingError::UnknownHash("sha512".to_owned())
    );
}

#[test]
fn binding_record_syntax() {
    assert_eq!(binding_err(json_binding("[]")), BindingError::NotAMap);
    assert_eq!(
        binding_err(json_binding(&format!("{{{RAW}}} x"))),
        BindingError::TrailingBytes
    );
    assert_eq!(
        binding_err(json_binding(&format!("{{{RAW}"))),
        BindingError::Truncated
    );
    assert!(matches!(
        binding_err(json_binding("{,}")),
        BindingError::Syntax(_)
    ));
    assert!(matches!(
        binding_err(json_binding("")),
        BindingError::Syntax(_)
    ));

    let good = binding_record(&tls_example(), Encoding::Cbor);
    assert!(cbor_binding(&good).is_ok());
    let mut trailing = good.clone();
    trailing.push(0);
    assert_eq!(
        binding_err(cbor_binding(&trailing)),
        BindingError::TrailingBytes
    );
    for cut in 0..good.len() {
        assert_eq!(
            binding_err(cbor_binding(&good[..cut])),
            BindingError::Truncated,
            "{cut}"
        );
    }
    assert_eq!(binding_err(cbor_binding(&h("80"))), BindingError::NotAMap);
    assert_eq!(
        binding_err(cbor_binding(&h("a1 01 01"))),
        BindingError::KeyNotText
    );
    // {"challenge": "0001020304050607"} — text where bytes are required, and the reverse.
    let mut text_challenge = h("a1 69");
    text_challenge.extend(b"challenge");
    text_challenge.extend(h("70"));
    text_challenge.extend(b"0001020304050607");
    assert_eq!(
        binding_err(cbor_binding(&text_challenge)),
        BindingError::WrongType("challenge")
    );
    let mut bytes_mode = h("a1 64");
    bytes_mode.extend(b"mode");
    bytes_mode.extend(h("43 726177"));
    assert_eq!(
        binding_err(cbor_binding(&bytes_mode)),
        BindingError::WrongType("mode")
    );
    let mut unknown = h("a1 63");
    unknown.extend(b"foo");
    unknown.extend(h("00"));
    assert_eq!(
        binding_err(cbor_binding(&unknown)),
        BindingError::UnknownKey("foo".to_owned())
    );
    // The same key twice: {"mode": "raw", "mode": "raw"}.
    let mut twice = h("a2");
    for _ in 0..2 {
        twice.extend(h("64"));
        twice.extend(b"mode");
        twice.extend(h("63 726177"));
    }
    assert_eq!(
        binding_err(cbor_binding(&twice)),
        BindingError::DuplicateKey("mode")
    );
    // An indefinite-length map is read like a definite one.
    let mut indefinite = good.clone();
    indefinite[0] = 0xbf;
    indefinite.push(0xff);
    assert_eq!(
        cbor_binding(&indefinite).unwrap().challenge,
        tls_example().challenge
    );
}

#[test]
fn binding_media_type_must_be_known() {
    assert_eq!(
        cmw_err(Evidence::from_cmw(&with_binding("application/json", b"{}"))),
        CmwError::BindingMediaType("application/json".to_owned())
    );
}

//! RFC 4514 strings of distinguished names, written here for the attribute types vendor
//! certificates use. x509-cert renders a name by searching its whole OID database for each
//! attribute's shortest name, which costs more than parsing the certificate; the output here
//! is the same string (a test compares them), and any attribute outside the table is still
//! rendered by x509-cert.

use std::fmt::Write;

use der::asn1::{Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
use der::{Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

use super::Oid;

/// The attribute types with the short names x509-cert gives them.
const SHORT_NAMES: [(Oid, &str); 6] = [
    (Oid::new_unwrap("2.5.4.3"), "CN"),
    (Oid::new_unwrap("2.5.4.6"), "C"),
    (Oid::new_unwrap("2.5.4.7"), "L"),
    (Oid::new_unwrap("2.5.4.8"), "ST"),
    (Oid::new_unwrap("2.5.4.10"), "O"),
    (Oid::new_unwrap("2.5.4.11"), "OU"),
];

/// `name` as an RFC 4514 string: the RDNs last first, separated by `,`, the attributes of one
/// RDN by `+`.
pub(crate) fn rfc4514(name: &Name) -> String {
    let mut out = String::new();
    let rdns: Vec<_> = name.iter_rdn().collect();
    for (i, rdn) in rdns.into_iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            push_attribute(&mut out, atv);
        }
    }
    out
}

fn push_attribute(out: &mut String, atv: &AttributeTypeAndValue) {
    let short = SHORT_NAMES
        .iter()
        .find(|(oid, _)| *oid == atv.oid)
        .map(|(_, name)| *name);
    match (short, string_value(atv)) {
        (Some(key), Some(value)) => {
            out.push_str(key);
            out.push('=');
            push_escaped(out, value);
        }
        // Writing to a String cannot fail.
        _ => {
            let _ = write!(out, "{atv}");
        }
    }
}

fn string_value(atv: &AttributeTypeAndValue) -> Option<&str> {
    let value = &atv.value;
    match value.tag() {
        Tag::PrintableString => PrintableStringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Utf8String => Utf8StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Ia5String => Ia5StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::TeletexString => TeletexStringRef::try_from(value).ok().map(|s| s.as_str()),
        _ => None,
    }
}

/// RFC 4514 §2.4 escaping, as x509-cert applies it.
fn push_escaped(out: &mut String, value: &str) {
    let mut chars = value.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || chars.peek().is_none() => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\x00'..='\x1f' | '\x7f' => {
                let _ = write!(out, "\\{:02x}", c as u8);
            }
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic)]
    use super::*;
    use std::str::FromStr;

    fn same_as_x509_cert(text: &str) {
        let name = Name::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(rfc4514(&name), name.to_string(), "{text}");
    }

    #[test]
    fn matches_x509_cert_for_the_table_and_beyond() {
        same_as_x509_cert(
            "CN=Intel SGX PCK Certificate,O=Intel Corporation,L=Santa Clara,ST=CA,C=US",
        );
        same_as_x509_cert(
            "CN=ARK-Milan,OU=Engineering,O=Advanced Micro Devices,L=Santa Clara,ST=CA,C=US",
        );
        same_as_x509_cert("CN=a+OU=b,O=c");
        same_as_x509_cert("CN=\\#hash\\ ,O=comma\\, plus\\+ semi\\; quote\\\" lt\\< gt\\> bs\\\\");
        same_as_x509_cert("CN=\\ lead,O=x");
        // Outside the table: rendered by x509-cert itself.
        same_as_x509_cert("SERIALNUMBER=1234,CN=x");
        same_as_x509_cert("DC=example,DC=com,UID=jdoe");
        assert_eq!(rfc4514(&Name::default()), Name::default().to_string());
    }
}

//! The two text forms the draft constrains: record media types and collection types.

use super::error::CmwError;

/// The most characters after the first in an RFC 6838 restricted-name.
const RESTRICTED_NAME_TAIL: usize = 126;

/// Checks that `text` is a Content-Type as the draft's CDDL defines it (the RFC 9193 ABNF):
/// `type "/" subtype *( *SP ";" *SP token "=" ( token / quoted-string ) )`, where type and
/// subtype are RFC 6838 restricted-names.
pub fn check_media_type(text: &str) -> Result<(), CmwError> {
    let mut cur = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    restricted_name(&mut cur)?;
    if !cur.eat(b'/') {
        return Err(CmwError::BadMediaType("no '/' after the type name"));
    }
    restricted_name(&mut cur)?;
    while !cur.at_end() {
        cur.skip_spaces();
        if !cur.eat(b';') {
            return Err(CmwError::BadMediaType(
                "unexpected character after the subtype or a parameter",
            ));
        }
        cur.skip_spaces();
        if cur.take_while(is_tchar) == 0 {
            return Err(CmwError::BadMediaType("parameter name is not a token"));
        }
        if !cur.eat(b'=') {
            return Err(CmwError::BadMediaType("parameter without '='"));
        }
        if cur.peek() == Some(b'"') {
            quoted_string(&mut cur)?;
        } else if cur.take_while(is_tchar) == 0 {
            return Err(CmwError::BadMediaType(
                "parameter value is neither a token nor a quoted string",
            ));
        }
    }
    Ok(())
}

/// Checks that `text` is a collection type: a dotted OID (`([0-2])((\.0)|(\.[1-9][0-9]*))*`)
/// or an absolute URI (RFC 3986 §4.3: a scheme, `:`, and no fragment).
pub(crate) fn check_collection_type(text: &str) -> Result<(), CmwError> {
    if is_oid(text) || is_absolute_uri(text) {
        Ok(())
    } else {
        Err(CmwError::BadCollectionType)
    }
}

fn is_oid(text: &str) -> bool {
    let mut arcs = text.split('.');
    let first_ok = matches!(arcs.next(), Some("0" | "1" | "2"));
    first_ok
        && arcs.all(|arc| {
            let digits = !arc.is_empty() && arc.bytes().all(|b| b.is_ascii_digit());
            digits && (arc == "0" || !arc.starts_with('0'))
        })
}

/// A character-level check of `scheme ":" hier-part [ "?" query ]`: the scheme's grammar, then
/// only characters RFC 3986 allows in the rest, with `%` followed by two hex digits. `#` is
/// refused because an absolute URI has no fragment.
fn is_absolute_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut scheme_bytes = scheme.bytes();
    let scheme_ok = scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme_bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        let sub_delim = matches!(
            b,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
        );
        if !(unreserved || sub_delim || matches!(b, b':' | b'@' | b'/' | b'?')) {
            return false;
        }
        i += 1;
    }
    true
}

fn restricted_name(cur: &mut Cursor<'_>) -> Result<(), CmwError> {
    if !cur.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
        return Err(CmwError::BadMediaType(
            "a type or subtype name must start with a letter or digit",
        ));
    }
    cur.pos += 1;
    let tail = cur.take_while(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#' | b'$' | b'&' | b'-' | b'^' | b'_' | b'.' | b'+'
            )
    });
    if tail > RESTRICTED_NAME_TAIL {
        return Err(CmwError::BadMediaType(
            "a type or subtype name exceeds 127 characters",
        ));
    }
    Ok(())
}

fn quoted_string(cur: &mut Cursor<'_>) -> Result<(), CmwError> {
    // The opening quote was peeked by the caller.
    cur.pos += 1;
    loop {
        match cur.next() {
            Some(b'"') => return Ok(()),
            Some(b'\\') => {
                if !cur.next().is_some_and(|b| (0x20..=0x7e).contains(&b)) {
                    return Err(CmwError::BadMediaType(
                        "bad quoted pair in a parameter value",
                    ));
                }
            }
            Some(b) if b == 0x20 || b == 0x21 || (0x23..=0x7e).contains(&b) => {}
            Some(_) => {
                return Err(CmwError::BadMediaType(
                    "a quoted parameter value holds a character outside printable ASCII",
                ));
            }
            None => {
                return Err(CmwError::BadMediaType(
                    "unterminated quoted parameter value",
                ));
            }
        }
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

struct Cursor<'t> {
    bytes: &'t [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn eat(&mut self, want: u8) -> bool {
        if self.peek() == Some(want) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn skip_spaces(&mut self) {
        self.take_while(|b| b == b' ');
    }

    fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        self.pos - start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_drafts_media_types() {
        for ok in [
            "application/vnd.example.rats-conceptual-msg",
            "application/eat+cwt; eat_profile=\"tag:psacertified.org,2023:psa#tfm\"",
            "application/eat+cwt;eat_profile=\"x\"",
            "application/rim+cose",
            "application/eat-ucs+json",
            "text/plain; charset=utf-8",
            "a/b;  p=\"q\\\"uote\"",
        ] {
            assert_eq!(check_media_type(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_what_the_abnf_does_not_allow() {
        for bad in [
            "",
            "application",
            "application/",
            "/json",
            "application/json;",
            "application/json ",
            "application/json; p",
            "application/json; p=",
            "application/json; p=a/b",
            "application/json; p=\"open",
            "application/json\tx",
            "appl ication/json",
            "application/jsön",
            "application/json; p=\"tab\there\"",
            "-app/json",
        ] {
            assert!(
                matches!(check_media_type(bad), Err(CmwError::BadMediaType(_))),
                "{bad:?}"
            );
        }
        let long = format!("application/{}", "x".repeat(128));
        assert!(check_media_type(&long).is_err());
        let longest = format!("application/{}", "x".repeat(127));
        assert_eq!(check_media_type(&longest), Ok(()));
    }

    #[test]
    fn collection_types() {
        for ok in [
            "tag:github.com,2026:attester-rs/attester/evidence/v1",
            "tag:example.com,2024:composite-attester",
            "https://example.com/a?b=c",
            "urn:ietf:params:x%2Fy",
            "1.2.840.113741.1.16.1",
            "2",
            "0.0",
        ] {
            assert_eq!(check_collection_type(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "relative/path",
            "1.02",
            "3.1",
            "1.",
            "1..2",
            "https://example.com/#frag",
            "tag:x y",
            "9tag:x",
            "urn:%zz",
            "urn:%2",
        ] {
            assert_eq!(
                check_collection_type(bad),
                Err(CmwError::BadCollectionType),
                "{bad:?}"
            );
        }
    }
}

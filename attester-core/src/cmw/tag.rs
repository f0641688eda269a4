//! The RFC 9277 Appendix B mapping between CoAP content formats and CBOR tag numbers, which
//! the Tag CMW form uses.

/// The tag number of content format 0.
pub const CF_TAG_MIN: u64 = 1_668_546_817;
/// The tag number of content format [`CF_TAG_MAX_CF`], the last one the mapping covers.
pub const CF_TAG_MAX: u64 = 1_668_612_095;
/// The largest content format with a tag: formats 65025..=65535 have none.
pub const CF_TAG_MAX_CF: u16 = 65_024;

/// `TN(cf) = 1668546817 + (cf / 255) * 256 + cf % 255`; `None` above [`CF_TAG_MAX_CF`].
pub fn cf_to_tag(cf: u16) -> Option<u64> {
    if cf > CF_TAG_MAX_CF {
        return None;
    }
    let cf = u64::from(cf);
    Some(CF_TAG_MIN + (cf / 255) * 256 + cf % 255)
}

/// The inverse of [`cf_to_tag`]; `None` for a tag outside the range, or one of the numbers
/// the mapping skips (those whose low byte, counted from [`CF_TAG_MIN`], is 255).
pub fn tag_to_cf(tag: u64) -> Option<u16> {
    if tag > CF_TAG_MAX {
        return None;
    }
    let offset = tag.checked_sub(CF_TAG_MIN)?;
    let (block, within) = (offset / 256, offset % 256);
    if within == 255 {
        return None;
    }
    u16::try_from(block * 255 + within).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_examples() {
        // draft-ietf-rats-msg-wrap §"Examples": CF 64999 ↔ tag 1668612070.
        assert_eq!(cf_to_tag(64_999), Some(1_668_612_070));
        assert_eq!(tag_to_cf(1_668_612_069), Some(64_998));
        // notes §5.1: application/eat+cwt (263) → 1668547081; the draft's table lists
        // 1668547091 for CF 273.
        assert_eq!(cf_to_tag(263), Some(1_668_547_081));
        assert_eq!(tag_to_cf(1_668_547_091), Some(273));
    }

    #[test]
    fn range_ends() {
        assert_eq!(cf_to_tag(0), Some(CF_TAG_MIN));
        assert_eq!(cf_to_tag(CF_TAG_MAX_CF), Some(CF_TAG_MAX));
        assert_eq!(cf_to_tag(CF_TAG_MAX_CF + 1), None);
        assert_eq!(cf_to_tag(u16::MAX), None);
        assert_eq!(tag_to_cf(CF_TAG_MIN - 1), None);
        assert_eq!(tag_to_cf(CF_TAG_MAX + 1), None);
        assert_eq!(tag_to_cf(CF_TAG_MIN + 255), None);
        assert_eq!(tag_to_cf(CF_TAG_MIN + 256), Some(255));
    }

    #[test]
    fn every_format_round_trips() {
        let mut previous = None;
        for cf in 0..=CF_TAG_MAX_CF {
            let tag = cf_to_tag(cf).unwrap();
            assert_eq!(tag_to_cf(tag), Some(cf));
            assert!(previous < Some(tag));
            previous = Some(tag);
        }
    }
}

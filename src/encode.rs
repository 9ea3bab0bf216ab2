//! Percent-encoding of path segments and query values.
//!
//! Everything except `A-Z a-z 0-9 - _ .` is encoded as `%XX` with upper-case hex
//! over the UTF-8 bytes. The PubNub v2 signature requires that set for its
//! canonical query (see [`crate::signature`]). It is also safe for a single path
//! segment, because `/`, `?`, `#`, `%` and spaces are always encoded, so a
//! channel name can never change the shape of the URL.

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text` to `out`, percent-encoded.
pub fn percent_encode_into(text: &str, out: &mut String) {
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0x0F)] as char);
        }
    }
}

/// Returns `text` percent-encoded.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    percent_encode_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn unreserved_characters_stay_literal() {
        assert_eq!(percent_encode("AZaz09-_."), "AZaz09-_.");
    }

    #[test]
    fn separators_and_spaces_are_encoded() {
        assert_eq!(percent_encode("my channel"), "my%20channel");
        assert_eq!(percent_encode("a/b?c#d%e&f=g"), "a%2Fb%3Fc%23d%25e%26f%3Dg");
        assert_eq!(
            percent_encode("~*!'()[],:;@+$"),
            "%7E%2A%21%27%28%29%5B%5D%2C%3A%3B%40%2B%24"
        );
    }

    #[test]
    fn utf8_is_encoded_bytewise_upper_case() {
        assert_eq!(percent_encode("£13.37"), "%C2%A313.37");
        assert_eq!(percent_encode("👍"), "%F0%9F%91%8D");
    }

    #[test]
    fn pnsdk_value_matches_signature_vector() {
        assert_eq!(percent_encode("PubNub-Rust/0.1.0"), "PubNub-Rust%2F0.1.0");
    }
}

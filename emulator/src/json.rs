//! JSON text in the two layouts the PubNub service uses.
//!
//! The actions and history services write `", "` between items and `": "` after
//! keys (`{"status": 200, "data": {}}`), while publish, time and subscribe replies
//! are compact (`[1,"Sent","16228368420485147"]`). Both layouts are seen in the
//! recorded replies listed in `tests/recorded_cases.rs`.

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::value::RawValue;

/// Layout of the separators between JSON items and after object keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `,` and `:` with no spaces.
    Compact,
    /// `, ` and `: `, as Python's `json.dumps` writes by default.
    Spaced,
}

/// serde_json formatter that writes the [`Layout::Spaced`] separators.
struct SpacedFormatter;

impl Formatter for SpacedFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }
}

/// Serializes `value` with the separators of `layout`.
///
/// Values nested as [`RawValue`] are copied verbatim, so callers reformat them
/// with [`reformat`] first.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, layout: Layout) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    let result = match layout {
        Layout::Compact => value.serialize(&mut serde_json::Serializer::new(&mut out)),
        Layout::Spaced => value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut out,
            SpacedFormatter,
        )),
    };
    // Serializing into a Vec fails only for maps with non-string keys. No reply
    // type in this crate contains such a map.
    if let Err(error) = result {
        log::error!("failed to serialize a reply body: {error}");
        out.clear();
        out.extend_from_slice(b"null");
    }
    out
}

/// Rewrites valid JSON text with the separators of `layout`.
///
/// Whitespace outside strings is dropped and everything else is kept byte for
/// byte, so numbers keep their exact digits and strings their escapes. The input
/// must already be valid JSON (see [`parse_raw`]).
pub fn reformat(text: &str, layout: Layout) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut in_string = false;
    let mut escaped = false;
    for character in text.chars() {
        if in_string {
            out.push(character);
            if escaped {
                escaped = false;
            } else if character == '\\' {
                escaped = true;
            } else if character == '"' {
                in_string = false;
            }
            continue;
        }
        match character {
            '"' => {
                in_string = true;
                out.push(character);
            }
            ' ' | '\t' | '\n' | '\r' => {}
            ',' if layout == Layout::Spaced => out.push_str(", "),
            ':' if layout == Layout::Spaced => out.push_str(": "),
            _ => out.push(character),
        }
    }
    out
}

/// Parses `text` as one JSON value and returns it in the compact layout.
pub fn parse_raw(text: &str) -> Result<Box<RawValue>, serde_json::Error> {
    let raw: Box<RawValue> = serde_json::from_str(text)?;
    let compact = reformat(raw.get(), Layout::Compact);
    RawValue::from_string(compact)
}

/// Returns stored compact JSON in `layout`, ready to nest in a reply.
pub fn raw_in_layout(compact: &RawValue, layout: Layout) -> Box<RawValue> {
    let text = match layout {
        Layout::Compact => compact.get().to_owned(),
        Layout::Spaced => reformat(compact.get(), Layout::Spaced),
    };
    // Reformatting valid JSON only changes whitespace outside strings, so the
    // text stays valid and the fallback is never taken.
    RawValue::from_string(text).unwrap_or_else(|_| compact.to_owned())
}

/// JSON object whose keys keep the order of the vector, for replies whose
/// key order follows the data (serde_json's own map would sort the keys).
#[derive(Debug, Clone)]
pub struct OrderedObject<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for OrderedObject<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Sample {
        status: u16,
        data: Vec<&'static str>,
    }

    #[test]
    fn spaced_layout_matches_service() {
        let sample = Sample {
            status: 200,
            data: vec!["a", "b"],
        };
        let text = to_vec(&sample, Layout::Spaced);
        assert_eq!(
            String::from_utf8(text).unwrap(),
            r#"{"status": 200, "data": ["a", "b"]}"#
        );
    }

    #[test]
    fn compact_layout_has_no_spaces() {
        let text = to_vec(&(1, "Sent", "15782701499548912"), Layout::Compact);
        assert_eq!(
            String::from_utf8(text).unwrap(),
            r#"[1,"Sent","15782701499548912"]"#
        );
    }

    #[test]
    fn reformat_keeps_strings_and_numbers() {
        let input = "{ \"a, b\": [1.50, 2e3,\"x:\\\"y\"] ,\"n\" :null }";
        assert_eq!(
            reformat(input, Layout::Compact),
            r#"{"a, b":[1.50,2e3,"x:\"y"],"n":null}"#
        );
        assert_eq!(
            reformat(input, Layout::Spaced),
            r#"{"a, b": [1.50, 2e3, "x:\"y"], "n": null}"#
        );
    }

    #[test]
    fn ordered_object_keeps_order() {
        let object = OrderedObject(vec![("b".to_owned(), 1), ("a".to_owned(), 2)]);
        assert_eq!(to_vec(&object, Layout::Spaced), br#"{"b": 1, "a": 2}"#);
    }

    #[test]
    fn raw_in_layout_spaces_stored_json() {
        let stored = parse_raw(r#"{"a":[1,2]}"#).unwrap();
        assert_eq!(
            raw_in_layout(&stored, Layout::Spaced).get(),
            r#"{"a": [1, 2]}"#
        );
        assert_eq!(
            raw_in_layout(&stored, Layout::Compact).get(),
            r#"{"a":[1,2]}"#
        );
    }

    #[test]
    fn parse_raw_rejects_invalid_json() {
        assert!(parse_raw("{\"a\":").is_err());
        assert!(parse_raw("hello").is_err());
        assert_eq!(parse_raw(" \"hello\" ").unwrap().get(), "\"hello\"");
    }

    #[test]
    fn parse_raw_keeps_large_integers() {
        let raw = parse_raw("123456789012345678901234567890").unwrap();
        assert_eq!(raw.get(), "123456789012345678901234567890");
    }
}

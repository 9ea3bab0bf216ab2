//! Access rules in the manner of PubNub Access Manager: which auth key may read
//! or write which channel.
//!
//! When rules are configured, a request must carry an `auth` query parameter
//! whose key is granted the access the endpoint needs on every channel it
//! names. Read covers listing actions, history and subscribe. Write covers
//! publish, adding actions and removing them.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

/// Channel name that grants access to every channel.
pub const ANY_CHANNEL: &str = "*";

/// Kind of access an endpoint needs on its channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// Read and write permissions of one auth key on one channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    #[serde(default)]
    pub read: bool,
    #[serde(default)]
    pub write: bool,
}

impl Permissions {
    pub const READ: Permissions = Permissions {
        read: true,
        write: false,
    };
    pub const WRITE: Permissions = Permissions {
        read: false,
        write: true,
    };
    pub const READ_WRITE: Permissions = Permissions {
        read: true,
        write: true,
    };

    /// Parses `r`, `w` or `rw` (either order).
    pub fn from_letters(letters: &str) -> Option<Permissions> {
        match letters {
            "r" => Some(Permissions::READ),
            "w" => Some(Permissions::WRITE),
            "rw" | "wr" => Some(Permissions::READ_WRITE),
            _ => None,
        }
    }

    fn allows(self, access: Access) -> bool {
        match access {
            Access::Read => self.read,
            Access::Write => self.write,
        }
    }
}

/// Grants by auth key, then by channel name (or [`ANY_CHANNEL`]).
///
/// The JSON form, used by `--access-file`, is
/// `{"AUTH_KEY": {"CHANNEL": {"read": true, "write": false}}}`, where a
/// missing permission is false.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct AccessRules {
    grants: HashMap<String, HashMap<String, Permissions>>,
}

impl AccessRules {
    /// Creates rules that grant nothing, so every request is denied.
    pub fn new() -> AccessRules {
        AccessRules::default()
    }

    /// Adds `permissions` for `auth_key` on `channel` to those already granted.
    pub fn grant(
        &mut self,
        auth_key: impl Into<String>,
        channel: impl Into<String>,
        permissions: Permissions,
    ) -> &mut AccessRules {
        let granted = self
            .grants
            .entry(auth_key.into())
            .or_default()
            .entry(channel.into())
            .or_default();
        granted.read |= permissions.read;
        granted.write |= permissions.write;
        self
    }

    /// Parses the JSON form of the rules.
    ///
    /// # Errors
    ///
    /// Returns the parser's message, which names the line and column but not
    /// the auth keys, because they are secrets.
    pub fn from_json(text: &str) -> Result<AccessRules, String> {
        serde_json::from_str(text).map_err(|error| format!("invalid access rules: {error}"))
    }

    /// Reads and parses a file holding the JSON form of the rules.
    ///
    /// # Errors
    ///
    /// Returns a message naming the file and what failed.
    pub fn from_file(path: &Path) -> Result<AccessRules, String> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            format!("reading the access file {} failed: {error}", path.display())
        })?;
        AccessRules::from_json(&text).map_err(|message| format!("{message} in {}", path.display()))
    }

    /// Parses one `AUTH_KEY:CHANNEL:PERMISSIONS` grant, as given to `--grant`,
    /// and adds it. The channel may contain `:`; permissions are `r`, `w` or `rw`.
    ///
    /// # Errors
    ///
    /// Returns a message that explains the expected form without repeating the
    /// value, because it contains an auth key.
    pub fn add_grant_text(&mut self, text: &str) -> Result<(), String> {
        const FORM: &str = "invalid --grant value: expected AUTH_KEY:CHANNEL:PERMISSIONS with PERMISSIONS r, w or rw";
        let (auth_key, rest) = text.split_once(':').ok_or(FORM)?;
        let (channel, letters) = rest.rsplit_once(':').ok_or(FORM)?;
        let permissions = Permissions::from_letters(letters).ok_or(FORM)?;
        if auth_key.is_empty() || channel.is_empty() {
            return Err(FORM.to_owned());
        }
        self.grant(auth_key, channel, permissions);
        Ok(())
    }

    /// Tells whether `auth_key` has `access` on `channel`.
    pub fn allows(&self, auth_key: Option<&str>, channel: &str, access: Access) -> bool {
        let Some(channels) = auth_key.and_then(|key| self.grants.get(key)) else {
            return false;
        };
        [channel, ANY_CHANNEL]
            .iter()
            .filter_map(|name| channels.get(*name))
            .any(|permissions| permissions.allows(access))
    }
}

impl fmt::Debug for AccessRules {
    /// Shows only counts, because auth keys are secrets.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grant_count: usize = self.grants.values().map(HashMap::len).sum();
        formatter
            .debug_struct("AccessRules")
            .field("auth_keys", &self.grants.len())
            .field("grants", &grant_count)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rules_parse() {
        let rules = AccessRules::from_json(
            r#"{"reader": {"chat": {"read": true}}, "admin": {"*": {"read": true, "write": true}}}"#,
        )
        .unwrap();

        assert!(rules.allows(Some("reader"), "chat", Access::Read));
        assert!(!rules.allows(Some("reader"), "chat", Access::Write));
        assert!(!rules.allows(Some("reader"), "other", Access::Read));
        assert!(rules.allows(Some("admin"), "anything", Access::Write));
        assert!(!rules.allows(None, "chat", Access::Read));
        assert!(!rules.allows(Some("nobody"), "chat", Access::Read));
    }

    #[test]
    fn unknown_permission_is_rejected() {
        let error = AccessRules::from_json(r#"{"reader": {"chat": {"raed": true}}}"#).unwrap_err();

        assert!(
            error.starts_with(
                "invalid access rules: unknown field `raed`, expected `read` or `write`"
            ),
            "{error}"
        );
    }

    #[test]
    fn grant_text_parses() {
        let mut rules = AccessRules::new();
        rules.add_grant_text("key-1:room:with:colons:rw").unwrap();
        rules.add_grant_text("key-2:chat:r").unwrap();

        assert!(rules.allows(Some("key-1"), "room:with:colons", Access::Write));
        assert!(rules.allows(Some("key-2"), "chat", Access::Read));
        assert!(!rules.allows(Some("key-2"), "chat", Access::Write));
    }

    #[test]
    fn bad_grant_text_is_rejected() {
        let expected = "invalid --grant value: expected AUTH_KEY:CHANNEL:PERMISSIONS with PERMISSIONS r, w or rw";
        for text in [
            "secret",
            "secret:chat",
            "secret:chat:x",
            ":chat:r",
            "secret::r",
        ] {
            let mut rules = AccessRules::new();
            assert_eq!(
                rules.add_grant_text(text),
                Err(expected.to_owned()),
                "{text}"
            );
        }
    }

    #[test]
    fn debug_hides_auth_keys() {
        let mut rules = AccessRules::new();
        rules.grant("very-secret", "chat", Permissions::READ);

        let shown = format!("{rules:?}");

        assert_eq!(shown, "AccessRules { auth_keys: 1, grants: 1 }");
    }
}

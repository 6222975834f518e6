//! Limits on the names that files carry: labels, link kinds and model
//! names.
//!
//! A label is a word or two ("claim", "quoted-source"); a model name a
//! version string. Names are shown in tables, menus and messages and repeat
//! in every span of a file, so a name of a megabyte (which an import could
//! otherwise carry into a file and its schema) would make every view of it
//! unusable and the schema a tandai import writes unreadable. Schemas and
//! imports refuse longer names, saying which and how long.

/// Longest label, link kind or model name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// `Err` with a message for people if the `what` (e.g. "label") `name` is
/// longer than [`MAX_NAME_CHARS`]. The message quotes only the start of the
/// name.
pub fn check(what: &str, name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if n <= MAX_NAME_CHARS {
        return Ok(());
    }
    Err(format!(
        "{what} name {} is {n} characters long; tandai takes names of up to {MAX_NAME_CHARS}",
        crate::check::excerpt(name)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_up_to_the_limit_pass_and_longer_ones_are_refused_briefly() {
        assert!(check("label", "claim").is_ok());
        assert!(check("label", &"é".repeat(MAX_NAME_CHARS)).is_ok());
        let err = check("model", &"m".repeat(65_536)).unwrap_err();
        assert!(err.starts_with("model name \"mmm"), "{err}");
        assert!(err.contains("65536 characters"), "{err}");
        assert!(err.len() < 200, "{err}");
    }
}

//! Who is annotating: the name written into new spans and review
//! decisions, resolved the same way by the app and the command line.
//!
//! In order: a name given explicitly (`--annotator`, the app's settings),
//! `$TANDAI_ANNOTATOR`, `$USER`, `$LOGNAME`, `$USERNAME`, then the
//! operating system's account name. Names are trimmed; an empty one counts
//! as none. `None` means no name could be found: the app then asks once,
//! and commands that record a name refuse to run without `--annotator`.

/// The annotator's name, if one can be found.
pub fn annotator(explicit: Option<&str>) -> Option<String> {
    annotator_with(explicit, &|k| std::env::var(k).ok(), &|| {
        whoami::fallible::username().ok()
    })
}

/// As [`annotator`], with the environment and the account name given (for
/// tests).
fn annotator_with(
    explicit: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    account: &dyn Fn() -> Option<String>,
) -> Option<String> {
    let clean = |s: String| {
        let t = s.trim();
        (!t.is_empty() && !t.chars().any(char::is_control)).then(|| t.to_owned())
    };
    explicit
        .map(str::to_owned)
        .and_then(clean)
        .or_else(|| {
            ["TANDAI_ANNOTATOR", "USER", "LOGNAME", "USERNAME"]
                .iter()
                .find_map(|k| env(k).and_then(clean))
        })
        .or_else(|| account().and_then(clean))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_then_environment_then_account_and_never_empty() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let account = || Some("rina".to_owned());
        let none = || None;
        assert_eq!(
            annotator_with(Some(" dewi "), &env(&[("USER", "x")]), &account).as_deref(),
            Some("dewi")
        );
        assert_eq!(
            annotator_with(
                Some("  "),
                &env(&[("USER", " "), ("LOGNAME", "budi")]),
                &account
            )
            .as_deref(),
            Some("budi")
        );
        assert_eq!(
            annotator_with(
                None,
                &env(&[("TANDAI_ANNOTATOR", "ayu"), ("USER", "x")]),
                &account
            )
            .as_deref(),
            Some("ayu")
        );
        assert_eq!(
            annotator_with(None, &env(&[]), &account).as_deref(),
            Some("rina")
        );
        assert_eq!(annotator_with(None, &env(&[("USER", "")]), &none), None);
        assert_eq!(annotator_with(Some("a\u{1b}b"), &env(&[]), &none), None);
    }
}

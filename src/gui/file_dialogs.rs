//! Whether a native file dialog can be shown, found out before asking rfd
//! for one.
//!
//! On Linux and the BSDs rfd 0.17 (with its default `xdg-portal` feature)
//! first asks the desktop portal (`org.freedesktop.portal.FileChooser` on
//! the session D-Bus, through a libdbus it loads at run time); when that
//! call fails it runs `zenity`; when that fails too it logs an error and
//! returns `None`, exactly as if the user had cancelled. So on a bare
//! desktop Open did nothing at all. We look for the same two backends
//! first: `zenity` on `PATH`, or a session bus together with an installed
//! portal that has a file chooser. Everywhere else (Windows, macOS) the
//! system dialog is always there.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Why no dialog can be shown, for the message beside the path field.
pub const NO_DIALOG: &str = "No file dialog can be shown here (no desktop portal and no zenity), \
                             so type or paste a path instead.";

/// Whether rfd can show a file dialog on this machine; looked up once.
pub fn available() -> bool {
    static FOUND: OnceLock<bool> = OnceLock::new();
    *FOUND.get_or_init(|| {
        if cfg!(any(
            target_os = "linux",
            target_os = "freebsd",
            target_os = "dragonfly",
            target_os = "netbsd",
            target_os = "openbsd"
        )) {
            detect(&|k| std::env::var_os(k), &|p| p.exists())
        } else {
            true
        }
    })
}

/// rfd's Linux choice, over an environment and a file system: `zenity` on
/// `PATH`, or a session bus and a portal with a file chooser.
pub fn detect(env: &dyn Fn(&str) -> Option<OsString>, exists: &dyn Fn(&Path) -> bool) -> bool {
    let on_path = env("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| exists(&dir.join("zenity"))));
    on_path || (session_bus(env, exists) && portal(env, exists))
}

/// A session bus libdbus can find: its address in the environment, or the
/// usual socket in the runtime folder.
fn session_bus(env: &dyn Fn(&str) -> Option<OsString>, exists: &dyn Fn(&Path) -> bool) -> bool {
    env("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
        || env("XDG_RUNTIME_DIR").is_some_and(|d| exists(&Path::new(&d).join("bus")))
}

/// The portal service is installed (D-Bus can start it) and some portal
/// implementation offers a file chooser.
fn portal(env: &dyn Fn(&str) -> Option<OsString>, exists: &dyn Fn(&Path) -> bool) -> bool {
    let dirs = data_dirs(env);
    let service = dirs.iter().any(|d| {
        exists(
            &d.join("dbus-1/services")
                .join("org.freedesktop.portal.Desktop.service"),
        )
    });
    service
        && dirs
            .iter()
            .any(|d| file_chooser_in(&d.join("xdg-desktop-portal/portals")))
}

/// Whether a `.portal` file in `dir` names the file chooser interface.
fn file_chooser_in(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().take(200).any(|e| {
        e.path().extension().is_some_and(|x| x == "portal")
            && std::fs::read_to_string(e.path())
                .is_ok_and(|t| t.contains("org.freedesktop.impl.portal.FileChooser"))
    })
}

/// `XDG_DATA_HOME` and `XDG_DATA_DIRS`, with their defaults.
fn data_dirs(env: &dyn Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    match env("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        Some(d) => dirs.push(PathBuf::from(d)),
        None => {
            if let Some(home) = env("HOME") {
                dirs.push(Path::new(&home).join(".local/share"));
            }
        }
    }
    let system = env("XDG_DATA_DIRS")
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| OsString::from("/usr/local/share:/usr/share"));
    dirs.extend(std::env::split_paths(&system));
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + use<> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn zenity_on_the_path_is_enough() {
        let env = env_of(&[("PATH", "/opt/bin:/usr/bin")]);
        assert!(detect(&env, &|p| p == Path::new("/usr/bin/zenity")));
        assert!(!detect(&env, &|p| p == Path::new("/usr/sbin/zenity")));
    }

    #[test]
    fn a_portal_needs_a_session_bus_and_a_file_chooser() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_string_lossy().into_owned();
        let service = dir
            .path()
            .join("dbus-1/services/org.freedesktop.portal.Desktop.service");
        let portals = dir.path().join("xdg-desktop-portal/portals");
        std::fs::create_dir_all(&portals).unwrap();
        let exists = |p: &Path| p == service;
        let with_bus = env_of(&[
            ("PATH", "/usr/bin"),
            ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus"),
            ("XDG_DATA_DIRS", &data),
        ]);
        // The service alone is not enough: nothing implements the chooser.
        assert!(!detect(&with_bus, &exists));
        std::fs::write(
            portals.join("gtk.portal"),
            "[portal]\nInterfaces=org.freedesktop.impl.portal.FileChooser;\n",
        )
        .unwrap();
        assert!(detect(&with_bus, &exists));
        // Without a session bus, the portal cannot be reached.
        let no_bus = env_of(&[("PATH", "/usr/bin"), ("XDG_DATA_DIRS", &data)]);
        assert!(!detect(&no_bus, &exists));
    }
}

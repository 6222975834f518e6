//! Reading an article from disk.
//!
//! The text is kept exactly as read: a byte-order mark and every `\r` stay
//! and count in offsets. A file that is too large is refused before it is
//! read, and one that is not UTF-8 is refused with the position of the
//! first bad byte.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::offsets::Text;

/// The largest article tandai opens. A long wire story is tens of kB; a
/// 5 MB text is the benchmark's stress case. Larger files are refused with a
/// message rather than read into memory.
pub const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;

/// An article as read from disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// Where it was read from.
    pub path: PathBuf,
    /// The exact text, indexed.
    pub text: Text,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
}

/// Why an article could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Opening or reading failed.
    #[error("{path}: {source}")]
    Io {
        /// The article.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not a regular file.
    #[error("{path}: not a regular file (a folder, FIFO, socket or device); not read")]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// Larger than [`MAX_ARTICLE_BYTES`].
    #[error(
        "{path}: the file is {size} bytes; tandai reads files of this kind up to {max} bytes ({} MiB)",
        max / (1024 * 1024)
    )]
    TooLarge {
        /// The article.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Not valid UTF-8.
    #[error("{path}: not UTF-8: invalid byte at byte offset {byte} (line {line}, column {col})")]
    NotUtf8 {
        /// The article.
        path: PathBuf,
        /// Offset of the first invalid byte.
        byte: usize,
        /// 1-based line of it.
        line: usize,
        /// 1-based column (in chars) of it.
        col: usize,
    },
}

/// Lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Opens `path` for reading without waiting on it: a FIFO with no writer
/// (or a device) would block a plain `open` for ever, before the caller
/// could see it is not a regular file. On Unix the file is opened with
/// `O_NONBLOCK`, which changes nothing for a regular file; callers then
/// refuse anything that is not one (its metadata comes from the open
/// handle, so the check is about the very file read).
pub(crate) fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    opts.open(path)
}

/// Reads a file of at most `max` bytes, checking the size before reading.
/// Only regular files are read ([`DocumentError::NotAFile`] otherwise).
pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, DocumentError> {
    read_bounded_with_meta(path, max).map(|(bytes, _)| bytes)
}

/// [`read_bounded`] for readers whose errors carry an `io::Error` (schema
/// and mapping files): a file that is not regular, too large or unreadable
/// is an error whose message does not repeat the path.
pub(crate) fn read_regular(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    read_bounded(path, max).map_err(|e| match e {
        DocumentError::Io { source, .. } => source,
        other => {
            let message = other.to_string();
            let prefix = format!("{}: ", path.display());
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                message.strip_prefix(&prefix).unwrap_or(&message).to_owned(),
            )
        }
    })
}

/// [`read_bounded`], with the metadata of the very file that was read (taken
/// from the open handle before reading, so a file renamed over the path
/// meanwhile cannot pair its metadata with the old bytes, and a change made
/// while reading shows as a metadata change later).
pub(crate) fn read_bounded_with_meta(
    path: &Path,
    max: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), DocumentError> {
    let io = |source| DocumentError::Io {
        path: path.to_owned(),
        source,
    };
    let file = open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(DocumentError::NotAFile {
            path: path.to_owned(),
        });
    }
    if meta.len() > max {
        return Err(DocumentError::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            max,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The file may grow while we read; never read past the limit.
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(DocumentError::TooLarge {
            path: path.to_owned(),
            size: bytes.len() as u64,
            max,
        });
    }
    Ok((bytes, meta))
}

/// Turns bytes into a string or says where the first invalid byte is.
pub(crate) fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, DocumentError> {
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        let good = &e.as_bytes()[..byte];
        // The prefix is valid by construction.
        let good = std::str::from_utf8(good).unwrap_or("");
        let line = good.matches('\n').count() + 1;
        let line_start = good.rfind('\n').map_or(0, |i| i + 1);
        DocumentError::NotUtf8 {
            path: path.to_owned(),
            byte,
            line,
            col: good[line_start..].chars().count() + 1,
        }
    })
}

impl Article {
    /// Builds an article from text in memory (for tests and importers).
    pub fn from_text(path: impl Into<PathBuf>, text: String) -> Self {
        Self {
            path: path.into(),
            sha256: sha256_hex(text.as_bytes()),
            text: Text::new(text),
        }
    }

    /// Reads and indexes an article.
    pub fn read(path: &Path) -> Result<Self, DocumentError> {
        let bytes = read_bounded(path, MAX_ARTICLE_BYTES)?;
        let sha256 = sha256_hex(&bytes);
        let text = utf8(path, bytes)?;
        Ok(Self {
            path: path.to_owned(),
            text: Text::new(text),
            sha256,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn bom_and_crlf_are_kept_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "\u{feff}Baris satu\r\nBaris dua\r\n").unwrap();
        let a = Article::read(&p).unwrap();
        assert_eq!(a.text.len_chars(), 1 + 10 + 2 + 9 + 2);
        assert_eq!(a.text.slice(0..1), Some("\u{feff}"));
    }

    #[test]
    fn invalid_utf8_names_the_byte_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.txt");
        std::fs::write(&p, b"ok\nab\xffcd").unwrap();
        let err = Article::read(&p).unwrap_err();
        match err {
            DocumentError::NotUtf8 {
                byte, line, col, ..
            } => {
                assert_eq!((byte, line, col), (5, 2, 3));
            }
            e => panic!("{e}"),
        }
    }

    #[test]
    fn a_huge_file_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("huge.txt");
        let f = std::fs::File::create(&p).unwrap();
        // Sparse: 300 MB on paper, nothing on disk.
        f.set_len(300 * 1024 * 1024).unwrap();
        let err = Article::read(&p).unwrap_err();
        assert!(matches!(err, DocumentError::TooLarge { .. }), "{err}");
        assert!(err.to_string().contains("64 MiB"), "{err}");
    }

    #[test]
    fn a_folder_is_not_an_article() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Article::read(dir.path()).is_err());
    }
}

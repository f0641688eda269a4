//! The few filesystem operations the report flow needs, behind a trait so the flow can be
//! tested against an emulator of the kernel.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

/// The filesystem operations of the configfs-tsm report flow.
///
/// Object-safe and shareable between threads. Errors are `io::Error`s carrying the kernel's
/// errno (`raw_os_error`), which the client maps onto error kinds in one table.
pub trait TsmFs: Send + Sync {
    /// Creates one directory (its parent must exist).
    fn create_dir(&self, path: &Path) -> io::Result<()>;

    /// Removes one directory.
    fn remove_dir(&self, path: &Path) -> io::Result<()>;

    /// Reads a whole file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// Writes `bytes` to an existing file in a single `write` call, without creating or
    /// truncating it, then closes it.
    ///
    /// configfs stores a text attribute per `write` call and does not support partial writes,
    /// so a short write is an error rather than something to continue.
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;

    /// Whether `path` exists (false when that cannot be determined).
    fn exists(&self, path: &Path) -> bool;
}

/// The real filesystem, through `std::fs`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RealFs;

impl TsmFs for RealFs {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        fs::create_dir(path)
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        fs::remove_dir(path)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(path)
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        // No create: a missing attribute must surface as ENOENT (the provider does not offer
        // it), never as a new regular file. No truncate: configfs attributes have no size.
        let mut file = OpenOptions::new().write(true).open(path)?;
        let written = file.write(bytes)?;
        if written != bytes.len() {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!("short write: {written} of {} bytes", bytes.len()),
            ));
        }
        // Closing is where configfs applies a binary attribute; it reports no error there.
        drop(file);
        Ok(())
    }

    fn exists(&self, path: &Path) -> bool {
        path.try_exists().unwrap_or(false)
    }
}

/// Forwards every method to the pointee, so a client can hold its filesystem by reference or
/// share it (an emulator between threads) without a wrapper type.
macro_rules! forward_tsm_fs {
    ($($pointer:ty),*) => {$(
        impl<T: TsmFs + ?Sized> TsmFs for $pointer {
            fn create_dir(&self, path: &Path) -> io::Result<()> {
                (**self).create_dir(path)
            }

            fn remove_dir(&self, path: &Path) -> io::Result<()> {
                (**self).remove_dir(path)
            }

            fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
                (**self).read(path)
            }

            fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
                (**self).write(path, bytes)
            }

            fn exists(&self, path: &Path) -> bool {
                (**self).exists(path)
            }
        }
    )*};
}

forward_tsm_fs!(&T, Arc<T>, Box<T>);

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A fresh directory under the system temp dir, removed (with its contents) on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            let path = std::env::temp_dir()
                .join(format!("attester-tsm-{tag}-{}-{nanos}", std::process::id()));
            fs::create_dir(&path).unwrap();
            Self(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn real_fs_mkdir_read_write_rmdir() {
        let tmp = TempDir::new("realfs");
        let fs_: &dyn TsmFs = &RealFs;
        let entry = tmp.0.join("entry");

        assert!(!fs_.exists(&entry));
        fs_.create_dir(&entry).unwrap();
        assert!(fs_.exists(&entry));
        // A second mkdir of the same name fails the way configfs does.
        let again = fs_.create_dir(&entry).unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);

        // write never creates a file: a missing attribute stays missing (ENOENT).
        let attr = entry.join("inblob");
        let missing = fs_.write(&attr, b"abc").unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        assert!(!fs_.exists(&attr));
        let missing = fs_.read(&attr).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);

        // An existing file is written in place and read back whole.
        fs::write(&attr, b"").unwrap();
        fs_.write(&attr, &[7u8; 64]).unwrap();
        assert_eq!(fs_.read(&attr).unwrap(), vec![7u8; 64]);
        // No truncation: a shorter write overwrites the start only (configfs has no size).
        fs_.write(&attr, b"xy").unwrap();
        let back = fs_.read(&attr).unwrap();
        assert_eq!(back.len(), 64);
        assert_eq!(&back[..2], b"xy");

        // rmdir refuses a non-empty directory and removes an empty one.
        assert!(fs_.remove_dir(&entry).is_err());
        fs::remove_file(&attr).unwrap();
        fs_.remove_dir(&entry).unwrap();
        assert!(!fs_.exists(&entry));
        let gone = fs_.remove_dir(&entry).unwrap_err();
        assert_eq!(gone.kind(), io::ErrorKind::NotFound);
        assert_eq!(gone.raw_os_error(), Some(crate::tsm::errno::ENOENT));
    }

    #[test]
    fn wrappers_delegate() {
        let tmp = TempDir::new("wrappers");
        let arc: Arc<dyn TsmFs> = Arc::new(RealFs);
        let boxed: Box<dyn TsmFs> = Box::new(RealFs);
        let a = tmp.0.join("a");
        arc.create_dir(&a).unwrap();
        assert!(boxed.exists(&a));
        remove_through(&boxed, &a);
        assert!(!arc.exists(&a));
    }

    fn remove_through<F: TsmFs>(fs_: F, path: &Path) {
        fs_.remove_dir(path).unwrap();
    }
}

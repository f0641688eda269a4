//! The report flow: one fresh entry per request, checked generation, always removed.

use super::errors::{GenerationMismatch, io_error};
use super::fs::{RealFs, TsmFs};
use super::request::{ReportRequest, TsmReport};
use super::{Attribute, DEFAULT_ROOT, PRIVLEVEL_MAX, TsmOp};
use crate::error::{Error, ErrorKind, Result};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// How many names to try when an entry name is already taken (only a stale entry left by a
/// crashed process with our pid can collide, and the counter moves on each try).
const CREATE_ATTEMPTS: u32 = 3;

/// Per-process sequence number for entry names, so threads of one process never collide.
static NEXT_ENTRY: AtomicU64 = AtomicU64::new(0);

/// A client of the configfs-tsm report interface.
///
/// Each [`get_report`](Self::get_report) creates its own report entry, so concurrent callers
/// (threads or processes) do not share state; the entry is removed on every path.
#[derive(Clone, Debug)]
pub struct TsmReportClient<F: TsmFs = RealFs> {
    fs: F,
    root: PathBuf,
}

impl TsmReportClient<RealFs> {
    /// A client of the real configfs at [`DEFAULT_ROOT`].
    pub fn new() -> Self {
        Self::with_fs(RealFs)
    }
}

impl Default for TsmReportClient<RealFs> {
    fn default() -> Self {
        Self::new()
    }
}

impl<F: TsmFs> TsmReportClient<F> {
    /// A client over `fs` at [`DEFAULT_ROOT`].
    pub fn with_fs(fs: F) -> Self {
        Self::with_root(fs, DEFAULT_ROOT)
    }

    /// A client over `fs` with report entries under `root`.
    pub fn with_root(fs: F, root: impl Into<PathBuf>) -> Self {
        Self {
            fs,
            root: root.into(),
        }
    }

    /// The directory report entries are created in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The filesystem this client uses.
    pub fn fs(&self) -> &F {
        &self.fs
    }

    /// Whether the report interface is present, without side effects.
    ///
    /// Only checks that the root exists: naming the provider would need a report entry, and
    /// creating one is a side effect. The root exists once configfs is mounted and the TSM
    /// core is loaded, even with no guest driver registered, so presence is a hint, not proof
    /// of a TEE.
    pub fn probe(&self) -> Option<TsmPresence> {
        self.fs.exists(&self.root).then(|| TsmPresence {
            root: self.root.clone(),
        })
    }

    /// Requests one report.
    ///
    /// The inblob length and privlevel are checked before any filesystem access. Then:
    /// create an entry, check `provider`, read `generation`, write `privlevel` (after checking
    /// `privlevel_floor` when the provider has one), `service_provider` and `inblob`, read
    /// `outblob` (and `auxblob`, `manifestblob` when asked), and require `generation` to
    /// have advanced by exactly our writes — otherwise [`ErrorKind::Busy`] with a
    /// [`GenerationMismatch`] source. The entry is removed whatever happens.
    pub fn get_report(&self, request: &ReportRequest<'_>) -> Result<TsmReport> {
        request.inblob_len.check(request.inblob.len())?;
        if let Some(level) = request.privlevel {
            if level > PRIVLEVEL_MAX {
                return Err(Error::malformed(
                    "privlevel",
                    format!("{level} is above the maximum {PRIVLEVEL_MAX}"),
                ));
            }
        }

        let entry = ReportEntry::create(&self.fs, &self.root)?;

        let provider = entry.read_text(Attribute::Provider)?;
        if provider != request.expected_provider {
            return Err(Error::Unsupported(
                format!(
                    "configfs-tsm provider is {provider:?}, not {:?}",
                    request.expected_provider
                )
                .into(),
            ));
        }

        let before = entry.read_number(Attribute::Generation)?;

        if let Some(level) = request.privlevel {
            // The kernel would refuse a level below the floor too (EINVAL); checking first
            // gives the caller both numbers and leaves the entry untouched.
            if entry.exists(Attribute::PrivlevelFloor) {
                let floor = entry.read_number(Attribute::PrivlevelFloor)?;
                if u64::from(level) < floor {
                    return Err(Error::Unsupported(
                        format!(
                            "privlevel {level} is below this guest's privlevel_floor {floor}: \
                             a guest cannot report for a more privileged level"
                        )
                        .into(),
                    ));
                }
            }
            entry.write(Attribute::Privlevel, level.to_string().as_bytes())?;
        }
        if let Some(name) = request.service_provider {
            entry.write(Attribute::ServiceProvider, name.as_bytes())?;
        }
        entry.write(Attribute::Inblob, request.inblob)?;

        let outblob = entry.read(Attribute::Outblob)?;
        if outblob.is_empty() {
            // Older TDX kernels return an empty quote with success when the quoting service
            // failed; an empty report is never usable evidence.
            return Err(Error::Device {
                kind: ErrorKind::Device,
                context: "configfs-tsm: the provider returned an empty outblob (did its \
                          quoting service fail?)"
                    .into(),
                source: None,
            });
        }
        let auxblob = if request.want_auxblob {
            non_empty(entry.read(Attribute::Auxblob)?)
        } else {
            None
        };
        let manifestblob = if request.want_manifest {
            non_empty(entry.read(Attribute::Manifestblob)?)
        } else {
            None
        };

        // Read last, after every blob: a write by anyone else at any point since `before`
        // (which could have changed what we read) shows up here.
        let after = entry.read_number(Attribute::Generation)?;
        let writes = request.write_count();
        if after != before.wrapping_add(writes) {
            return Err(Error::Device {
                kind: ErrorKind::Busy,
                context: "configfs-tsm: another writer changed the report; retry".into(),
                source: Some(Box::new(GenerationMismatch {
                    before,
                    writes,
                    after,
                })),
            });
        }

        Ok(TsmReport {
            provider,
            generation: after,
            outblob,
            auxblob,
            manifestblob,
        })
    }
}

/// What [`TsmReportClient::probe`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TsmPresence {
    /// The report root that exists.
    pub root: PathBuf,
}

impl fmt::Display for TsmPresence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "configfs-tsm report interface at {} (its provider is named only inside a report \
             entry, which detection does not create)",
            self.root.display()
        )
    }
}

fn non_empty(blob: Vec<u8>) -> Option<Vec<u8>> {
    (!blob.is_empty()).then_some(blob)
}

/// A name no other live entry has: the pid separates processes, the counter threads of one
/// process, and the time a stale entry left by an earlier process with the same pid.
fn entry_name() -> String {
    let sequence = NEXT_ENTRY.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("attester-{}-{sequence}-{nanos}", std::process::id())
}

/// A report entry that exists until this guard is dropped.
struct ReportEntry<'a, F: TsmFs + ?Sized> {
    fs: &'a F,
    dir: PathBuf,
}

impl<'a, F: TsmFs + ?Sized> ReportEntry<'a, F> {
    fn create(fs: &'a F, root: &Path) -> Result<Self> {
        let mut attempt = 0;
        loop {
            let dir = root.join(entry_name());
            match fs.create_dir(&dir) {
                Ok(()) => return Ok(Self { fs, dir }),
                Err(err)
                    if err.kind() == std::io::ErrorKind::AlreadyExists
                        && attempt + 1 < CREATE_ATTEMPTS =>
                {
                    attempt += 1;
                }
                Err(err) => return Err(io_error(TsmOp::CreateEntry, err)),
            }
        }
    }

    fn path(&self, attr: Attribute) -> PathBuf {
        self.dir.join(attr.file_name())
    }

    fn exists(&self, attr: Attribute) -> bool {
        self.fs.exists(&self.path(attr))
    }

    fn read(&self, attr: Attribute) -> Result<Vec<u8>> {
        self.fs
            .read(&self.path(attr))
            .map_err(|err| io_error(TsmOp::Read(attr), err))
    }

    fn write(&self, attr: Attribute, bytes: &[u8]) -> Result<()> {
        self.fs
            .write(&self.path(attr), bytes)
            .map_err(|err| io_error(TsmOp::Write(attr), err))
    }

    /// A text attribute without its trailing newline.
    fn read_text(&self, attr: Attribute) -> Result<String> {
        let bytes = self.read(attr)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::malformed("configfs-tsm attribute", format!("{attr} is not UTF-8"))
        })?;
        Ok(text.trim_end_matches('\n').to_owned())
    }

    /// A decimal attribute (`generation`, `privlevel_floor`).
    fn read_number(&self, attr: Attribute) -> Result<u64> {
        let text = self.read_text(attr)?;
        text.trim().parse().map_err(|_| {
            Error::malformed(
                "configfs-tsm attribute",
                format!("{attr} is not a decimal number: {text:?}"),
            )
        })
    }
}

impl<F: TsmFs + ?Sized> Drop for ReportEntry<'_, F> {
    fn drop(&mut self) {
        // Nothing useful can be done with a failed rmdir here; the name is unique, so a
        // leftover entry cannot disturb a later request.
        let _ = self.fs.remove_dir(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn entry_names_are_unique_across_threads() {
        let names: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| (0..250).map(|_| entry_name()).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let unique: HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        let pid = format!("attester-{}-", std::process::id());
        assert!(names.iter().all(|n| n.starts_with(&pid)));
    }

    #[test]
    fn probe_reports_the_root_only_when_it_exists() {
        let missing = TsmReportClient::with_root(RealFs, "/nonexistent/attester/tsm/report");
        assert_eq!(missing.probe(), None);
        let here = std::env::temp_dir();
        let client = TsmReportClient::with_root(RealFs, &here);
        let found = client.probe().unwrap();
        assert_eq!(found.root, here);
        assert!(
            found
                .to_string()
                .starts_with("configfs-tsm report interface at ")
        );
    }

    #[test]
    fn default_root_is_the_kernel_path() {
        assert_eq!(TsmReportClient::new().root(), Path::new(DEFAULT_ROOT));
    }
}

//! An in-memory emulator of the Linux configfs-tsm report interface, for testing the
//! core's [`TsmReportClient`](attester_core::tsm::TsmReportClient) and the backends built on it
//! without a confidential guest.
//!
//! It models what the kernel does (`drivers/virt/coco/guest/report.c`, `fs/configfs/file.c`
//! and the providers; see the `attester_core::tsm` module docs): report entries created by
//! `mkdir`, per-entry `generation` bumped by each accepted write, `inblob` capped at 64 bytes
//! on `write` but checked against the provider's rule only when the report is generated, the
//! report generated on the first blob read after a write and cached until the next one,
//! `privlevel` bounded by `privlevel_floor..=3`, and per-provider attribute visibility. Hooks
//! inject the failures a real guest can show: errors on any operation, a concurrent writer,
//! no configfs, no provider, no permission.

use attester_core::tsm::errno::{
    EACCES, EEXIST, EFAULT, EFBIG, EINVAL, EISDIR, ENOENT, ENXIO, EPERM,
};
use attester_core::tsm::{
    ARM_CCA_GUEST, Attribute, DEFAULT_ROOT, INBLOB_MAX, PRIVLEVEL_MAX, SEV_GUEST, TDX_GUEST, TsmFs,
    TsmOp,
};
use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The report generator: `(provider, inblob, privlevel) -> (outblob, auxblob)`.
///
/// `privlevel` is 0 unless written, as in the kernel. Platform mocks plug in a generator that
/// emits their real report format over `inblob`.
pub type ReportGenerator = dyn Fn(&str, &[u8], u32) -> (Vec<u8>, Option<Vec<u8>>) + Send + Sync;

/// The blob size limit of the TSM core (`TSM_REPORT_OUTBLOB_MAX`, 32 KiB in the releases read).
pub const DEFAULT_OUTBLOB_MAX: usize = 32 * 1024;

/// An in-memory configfs-tsm, usable wherever a [`TsmFs`] is.
///
/// Share it between a client and the test through `&TsmEmulator` or `Arc<TsmEmulator>`.
pub struct TsmEmulator {
    root: PathBuf,
    provider: String,
    privlevel_floor: u32,
    svsm_manifest: Option<Vec<u8>>,
    outblob_max: usize,
    generator: Box<ReportGenerator>,
    state: Mutex<State>,
}

impl std::fmt::Debug for TsmEmulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TsmEmulator")
            .field("root", &self.root)
            .field("provider", &self.provider)
            .field("privlevel_floor", &self.privlevel_floor)
            .field("svsm", &self.svsm_manifest.is_some())
            .field("live_entries", &self.live_entries())
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct State {
    mounted: bool,
    provider_registered: bool,
    access_denied: bool,
    entries: BTreeMap<String, Entry>,
    faults: Vec<Fault>,
    concurrent_writes: VecDeque<Vec<u8>>,
    entries_created: u64,
    reports_generated: u64,
    calls: u64,
}

#[derive(Debug)]
struct Fault {
    op: TsmOp,
    errno: i32,
    remaining: usize,
}

/// One report entry: the kernel's `tsm_report_state`.
#[derive(Debug, Default)]
struct Entry {
    inblob: Vec<u8>,
    privlevel: u32,
    service_provider: Option<String>,
    write_generation: u64,
    read_generation: u64,
    cache: Option<Blobs>,
}

#[derive(Debug)]
struct Blobs {
    outblob: Vec<u8>,
    auxblob: Vec<u8>,
    manifestblob: Vec<u8>,
}

/// What a path names inside the emulated configfs.
enum Node<'p> {
    Root,
    Entry(&'p str),
    Attribute(&'p str, Attribute),
}

fn os_error(errno: i32) -> io::Error {
    io::Error::from_raw_os_error(errno)
}

impl TsmEmulator {
    /// An emulator whose registered provider is `provider` (`sev_guest`, `tdx_guest`,
    /// `arm_cca_guest`, or any other name, which then shows every attribute), generating
    /// reports with `generator`, at [`DEFAULT_ROOT`].
    pub fn new(
        provider: &str,
        generator: impl Fn(&str, &[u8], u32) -> (Vec<u8>, Option<Vec<u8>>) + Send + Sync + 'static,
    ) -> Self {
        Self {
            root: PathBuf::from(DEFAULT_ROOT),
            provider: provider.to_owned(),
            privlevel_floor: 0,
            svsm_manifest: None,
            outblob_max: DEFAULT_OUTBLOB_MAX,
            generator: Box::new(generator),
            state: Mutex::new(State {
                mounted: true,
                provider_registered: true,
                access_denied: false,
                entries: BTreeMap::new(),
                faults: Vec::new(),
                concurrent_writes: VecDeque::new(),
                entries_created: 0,
                reports_generated: 0,
                calls: 0,
            }),
        }
    }

    /// Puts the report root at `root` instead of [`DEFAULT_ROOT`].
    #[must_use]
    pub fn with_root(mut self, root: impl Into<PathBuf>) -> Self {
        self.root = root.into();
        self
    }

    /// Sets `privlevel_floor` (SNP: the VMPL whose VMPCK the guest uses).
    #[must_use]
    pub fn with_privlevel_floor(mut self, floor: u32) -> Self {
        self.privlevel_floor = floor;
        self
    }

    /// Runs `sev_guest` under an SVSM: `service_*` and `manifestblob` become visible, and a
    /// report requested with `service_provider` `svsm` carries `manifest`.
    #[must_use]
    pub fn with_svsm(mut self, manifest: impl Into<Vec<u8>>) -> Self {
        self.svsm_manifest = Some(manifest.into());
        self
    }

    /// Sets the blob size limit above which reads fail `EFBIG`.
    #[must_use]
    pub fn with_outblob_max(mut self, max: usize) -> Self {
        self.outblob_max = max;
        self
    }

    /// The report root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The registered provider's name.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Mounts or unmounts configfs: unmounted, the root is absent and everything is `ENOENT`.
    pub fn set_mounted(&self, mounted: bool) {
        self.state().mounted = mounted;
    }

    /// Registers or unregisters the provider: unregistered, `mkdir` fails `ENXIO` (the TSM
    /// core is loaded but no guest driver is).
    pub fn set_provider_registered(&self, registered: bool) {
        self.state().provider_registered = registered;
    }

    /// Acts as for a caller without root: every operation but `exists` fails `EACCES`.
    pub fn set_access_denied(&self, denied: bool) {
        self.state().access_denied = denied;
    }

    /// Makes the next `times` operations `op` (on any entry) fail with `errno`, before the
    /// kernel logic runs.
    pub fn fail_next(&self, op: TsmOp, errno: i32, times: usize) {
        self.state().faults.push(Fault {
            op,
            errno,
            remaining: times,
        });
    }

    /// Makes another process write `inblob` to the same entry right after the next accepted
    /// `inblob` write, as a caller sharing an entry could.
    pub fn inject_concurrent_writer(&self, inblob: impl Into<Vec<u8>>) {
        self.state().concurrent_writes.push_back(inblob.into());
    }

    /// The names of the report entries that exist now.
    pub fn live_entries(&self) -> Vec<String> {
        self.state().entries.keys().cloned().collect()
    }

    /// How many report entries have been created.
    pub fn entries_created(&self) -> u64 {
        self.state().entries_created
    }

    /// How many times a report was generated (not served from the cache).
    pub fn reports_generated(&self) -> u64 {
        self.state().reports_generated
    }

    /// How many [`TsmFs`] calls were made, `exists` included.
    pub fn fs_calls(&self) -> u64 {
        self.state().calls
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock must not hide the state from others.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Which attributes the provider shows (its `report_attr_visible` callbacks).
    fn visible(&self, attr: Attribute) -> bool {
        let svsm = self.svsm_manifest.is_some();
        match self.provider.as_str() {
            SEV_GUEST => match attr {
                Attribute::ServiceProvider
                | Attribute::ServiceGuid
                | Attribute::ServiceManifestVersion
                | Attribute::Manifestblob => svsm,
                _ => true,
            },
            TDX_GUEST => matches!(
                attr,
                Attribute::Provider
                    | Attribute::Generation
                    | Attribute::Inblob
                    | Attribute::Outblob
            ),
            // arm_cca_guest registers no visibility callbacks, so the core shows everything.
            _ => true,
        }
    }

    fn node<'p>(&self, path: &'p Path) -> io::Result<Node<'p>> {
        let rest = path
            .strip_prefix(&self.root)
            .map_err(|_| os_error(ENOENT))?;
        let mut parts = rest.components().map(|c| match c {
            Component::Normal(name) => name.to_str().ok_or_else(|| os_error(ENOENT)),
            _ => Err(os_error(ENOENT)),
        });
        match (parts.next(), parts.next(), parts.next()) {
            (None, _, _) => Ok(Node::Root),
            (Some(entry), None, _) => Ok(Node::Entry(entry?)),
            (Some(entry), Some(attr), None) => {
                let attr = Attribute::from_file_name(attr?).ok_or_else(|| os_error(ENOENT))?;
                Ok(Node::Attribute(entry?, attr))
            }
            _ => Err(os_error(ENOENT)),
        }
    }

    /// The attribute `path` names in a live entry, or the error the kernel would give.
    fn attribute<'p>(&self, state: &State, path: &'p Path) -> io::Result<(&'p str, Attribute)> {
        if !state.mounted {
            return Err(os_error(ENOENT));
        }
        match self.node(path)? {
            Node::Root => Err(os_error(EISDIR)),
            Node::Entry(name) if state.entries.contains_key(name) => Err(os_error(EISDIR)),
            Node::Entry(_) => Err(os_error(ENOENT)),
            Node::Attribute(name, attr)
                if state.entries.contains_key(name) && self.visible(attr) =>
            {
                Ok((name, attr))
            }
            Node::Attribute(..) => Err(os_error(ENOENT)),
        }
    }

    /// Generates the entry's report if the cache is stale (the kernel's `tsm_report_read`).
    fn generate(&self, entry: &mut Entry, generated: &mut u64) -> io::Result<()> {
        if entry.inblob.is_empty() {
            return Err(os_error(EINVAL));
        }
        if entry.cache.is_some() && entry.read_generation == entry.write_generation {
            return Ok(());
        }
        entry.cache = None;
        let len = entry.inblob.len();
        let length_ok = match self.provider.as_str() {
            SEV_GUEST | TDX_GUEST => len == INBLOB_MAX,
            ARM_CCA_GUEST => (32..=INBLOB_MAX).contains(&len),
            _ => true,
        };
        if !length_ok {
            return Err(os_error(EINVAL));
        }
        let manifestblob = match (&entry.service_provider, &self.svsm_manifest) {
            (None, _) => Vec::new(),
            (Some(name), Some(manifest)) if name == "svsm" => manifest.clone(),
            // sev_guest knows only "svsm"; other providers ignore the attribute.
            (Some(_), _) if self.provider == SEV_GUEST => return Err(os_error(EINVAL)),
            (Some(_), _) => Vec::new(),
        };
        let (outblob, auxblob) = (self.generator)(&self.provider, &entry.inblob, entry.privlevel);
        entry.cache = Some(Blobs {
            outblob,
            auxblob: auxblob.unwrap_or_default(),
            manifestblob,
        });
        entry.read_generation = entry.write_generation;
        *generated += 1;
        Ok(())
    }

    fn take_fault(state: &mut State, op: TsmOp) -> io::Result<()> {
        if let Some(fault) = state
            .faults
            .iter_mut()
            .find(|f| f.op == op && f.remaining > 0)
        {
            fault.remaining -= 1;
            return Err(os_error(fault.errno));
        }
        Ok(())
    }
}

/// A text attribute value as `kstrtouint` takes it: decimal, at most one trailing newline.
fn parse_uint(bytes: &[u8]) -> io::Result<u32> {
    let text = std::str::from_utf8(bytes).map_err(|_| os_error(EINVAL))?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(os_error(EINVAL));
    }
    text.parse().map_err(|_| os_error(EINVAL))
}

impl TsmFs for TsmEmulator {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        let mut state = self.state();
        state.calls += 1;
        if !state.mounted {
            return Err(os_error(ENOENT));
        }
        let name = match self.node(path)? {
            Node::Root => return Err(os_error(EEXIST)),
            // Report entries are items, not groups: nothing can be created inside them.
            Node::Attribute(..) => return Err(os_error(EPERM)),
            Node::Entry(name) => name,
        };
        Self::take_fault(&mut state, TsmOp::CreateEntry)?;
        if state.access_denied {
            return Err(os_error(EACCES));
        }
        if state.entries.contains_key(name) {
            return Err(os_error(EEXIST));
        }
        if !state.provider_registered {
            return Err(os_error(ENXIO));
        }
        state.entries.insert(name.to_owned(), Entry::default());
        state.entries_created += 1;
        Ok(())
    }

    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        let mut state = self.state();
        state.calls += 1;
        if !state.mounted {
            return Err(os_error(ENOENT));
        }
        let name = match self.node(path)? {
            Node::Root => return Err(os_error(EPERM)),
            Node::Attribute(..) => return Err(os_error(ENOENT)),
            Node::Entry(name) => name,
        };
        Self::take_fault(&mut state, TsmOp::RemoveEntry)?;
        if state.access_denied {
            return Err(os_error(EACCES));
        }
        state
            .entries
            .remove(name)
            .map(drop)
            .ok_or_else(|| os_error(ENOENT))
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let mut state = self.state();
        state.calls += 1;
        let (name, attr) = self.attribute(&state, path)?;
        Self::take_fault(&mut state, TsmOp::Read(attr))?;
        if state.access_denied || attr.is_writable() {
            return Err(os_error(EACCES));
        }
        let State {
            entries,
            reports_generated,
            ..
        } = &mut *state;
        let entry = entries.get_mut(name).ok_or_else(|| os_error(ENOENT))?;
        let blob = match attr {
            Attribute::Provider => return Ok(format!("{}\n", self.provider).into_bytes()),
            Attribute::Generation => {
                return Ok(format!("{}\n", entry.write_generation).into_bytes());
            }
            Attribute::PrivlevelFloor => {
                return Ok(format!("{}\n", self.privlevel_floor).into_bytes());
            }
            Attribute::Outblob | Attribute::Auxblob | Attribute::Manifestblob => {
                self.generate(entry, reports_generated)?;
                let blobs = entry.cache.as_ref().ok_or_else(|| os_error(EINVAL))?;
                match attr {
                    Attribute::Outblob => &blobs.outblob,
                    Attribute::Auxblob => &blobs.auxblob,
                    _ => &blobs.manifestblob,
                }
            }
            _ => return Err(os_error(EACCES)),
        };
        // configfs sizes the read buffer first and refuses blobs above the core's maximum.
        if blob.len() > self.outblob_max {
            return Err(os_error(EFBIG));
        }
        Ok(blob.clone())
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut state = self.state();
        state.calls += 1;
        let (name, attr) = self.attribute(&state, path)?;
        Self::take_fault(&mut state, TsmOp::Write(attr))?;
        if state.access_denied || !attr.is_writable() {
            return Err(os_error(EACCES));
        }
        let State {
            entries,
            concurrent_writes,
            ..
        } = &mut *state;
        let entry = entries.get_mut(name).ok_or_else(|| os_error(ENOENT))?;
        match attr {
            Attribute::Inblob => {
                // configfs's own checks on write(); the TSM stores the bytes at close.
                if bytes.is_empty() {
                    return Err(os_error(EFAULT));
                }
                if bytes.len() > INBLOB_MAX {
                    return Err(os_error(EFBIG));
                }
                entry.inblob = bytes.to_vec();
                entry.write_generation += 1;
                if let Some(other) = concurrent_writes.pop_front() {
                    entry.inblob = other;
                    entry.write_generation += 1;
                }
            }
            Attribute::Privlevel => {
                let level = parse_uint(bytes)?;
                if level < self.privlevel_floor || level > PRIVLEVEL_MAX {
                    return Err(os_error(EINVAL));
                }
                entry.privlevel = level;
                entry.write_generation += 1;
            }
            Attribute::ServiceProvider => {
                let text = String::from_utf8_lossy(bytes);
                entry.service_provider = Some(text.strip_suffix('\n').unwrap_or(&text).to_owned());
                entry.write_generation += 1;
            }
            Attribute::ServiceManifestVersion => {
                parse_uint(bytes)?;
                entry.write_generation += 1;
            }
            // The core counts a service_guid write before parsing it.
            _ => entry.write_generation += 1,
        }
        Ok(())
    }

    fn exists(&self, path: &Path) -> bool {
        let mut state = self.state();
        state.calls += 1;
        if !state.mounted {
            return false;
        }
        match self.node(path) {
            Ok(Node::Root) => true,
            Ok(Node::Entry(name)) => state.entries.contains_key(name),
            Ok(Node::Attribute(name, attr)) => {
                state.entries.contains_key(name) && self.visible(attr)
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(provider: &str, inblob: &[u8], privlevel: u32) -> (Vec<u8>, Option<Vec<u8>>) {
        let mut out = provider.as_bytes().to_vec();
        out.push(privlevel as u8);
        out.extend_from_slice(inblob);
        (out, Some(b"certs".to_vec()))
    }

    fn entry(emu: &TsmEmulator, name: &str) -> PathBuf {
        let dir = emu.root().join(name);
        emu.create_dir(&dir).unwrap();
        dir
    }

    fn errno(err: io::Error) -> i32 {
        err.raw_os_error().unwrap()
    }

    #[test]
    fn generation_counts_accepted_writes_only() {
        let emu = TsmEmulator::new(SEV_GUEST, echo).with_privlevel_floor(1);
        let dir = entry(&emu, "a");
        let generation = |emu: &TsmEmulator| emu.read(&dir.join("generation")).unwrap();
        assert_eq!(generation(&emu), b"0\n");
        // Below the floor, above 3, or not a number: refused and not counted.
        for bad in [&b"0"[..], b"4", b"x", b"1\n\n"] {
            assert_eq!(
                errno(emu.write(&dir.join("privlevel"), bad).unwrap_err()),
                EINVAL
            );
        }
        assert_eq!(generation(&emu), b"0\n");
        emu.write(&dir.join("privlevel"), b"2\n").unwrap();
        emu.write(&dir.join("inblob"), &[1; 64]).unwrap();
        assert_eq!(generation(&emu), b"2\n");
        // Reads do not count.
        emu.read(&dir.join("outblob")).unwrap();
        assert_eq!(generation(&emu), b"2\n");
    }

    #[test]
    fn inblob_is_capped_on_write_and_checked_on_generation() {
        let emu = TsmEmulator::new(TDX_GUEST, echo);
        let dir = entry(&emu, "a");
        assert_eq!(errno(emu.read(&dir.join("outblob")).unwrap_err()), EINVAL);
        assert_eq!(
            errno(emu.write(&dir.join("inblob"), &[0; 65]).unwrap_err()),
            EFBIG
        );
        assert_eq!(
            errno(emu.write(&dir.join("inblob"), &[]).unwrap_err()),
            EFAULT
        );
        emu.write(&dir.join("inblob"), &[0; 63]).unwrap();
        assert_eq!(errno(emu.read(&dir.join("outblob")).unwrap_err()), EINVAL);
        emu.write(&dir.join("inblob"), &[0; 64]).unwrap();
        assert_eq!(emu.read(&dir.join("outblob")).unwrap().len(), 9 + 1 + 64);
    }

    #[test]
    fn report_is_cached_until_the_next_write() {
        let emu = TsmEmulator::new(SEV_GUEST, echo);
        let dir = entry(&emu, "a");
        emu.write(&dir.join("inblob"), &[1; 64]).unwrap();
        let first = emu.read(&dir.join("outblob")).unwrap();
        assert_eq!(emu.read(&dir.join("auxblob")).unwrap(), b"certs");
        assert_eq!(emu.read(&dir.join("outblob")).unwrap(), first);
        assert_eq!(emu.reports_generated(), 1);
        emu.write(&dir.join("inblob"), &[2; 64]).unwrap();
        assert_ne!(emu.read(&dir.join("outblob")).unwrap(), first);
        assert_eq!(emu.reports_generated(), 2);
    }

    #[test]
    fn visibility_and_modes_follow_the_provider() {
        let tdx = TsmEmulator::new(TDX_GUEST, echo);
        let dir = entry(&tdx, "a");
        for attr in Attribute::ALL {
            let shown = matches!(
                attr,
                Attribute::Provider
                    | Attribute::Generation
                    | Attribute::Inblob
                    | Attribute::Outblob
            );
            assert_eq!(tdx.exists(&dir.join(attr.file_name())), shown, "{attr}");
        }
        assert_eq!(errno(tdx.read(&dir.join("auxblob")).unwrap_err()), ENOENT);
        assert_eq!(errno(tdx.read(&dir.join("inblob")).unwrap_err()), EACCES);
        assert_eq!(
            errno(tdx.write(&dir.join("provider"), b"x").unwrap_err()),
            EACCES
        );

        let cca = TsmEmulator::new(ARM_CCA_GUEST, echo);
        let dir = entry(&cca, "a");
        assert!(
            Attribute::ALL
                .iter()
                .all(|a| cca.exists(&dir.join(a.file_name())))
        );
        assert_eq!(cca.read(&dir.join("privlevel_floor")).unwrap(), b"0\n");

        let snp = TsmEmulator::new(SEV_GUEST, echo);
        let dir = entry(&snp, "a");
        assert!(snp.exists(&dir.join("privlevel")));
        assert!(!snp.exists(&dir.join("manifestblob")));
        let svsm = TsmEmulator::new(SEV_GUEST, echo).with_svsm(b"manifest".to_vec());
        let dir = entry(&svsm, "a");
        assert!(svsm.exists(&dir.join("manifestblob")));
        assert!(svsm.exists(&dir.join("service_provider")));
    }

    #[test]
    fn entries_and_hooks() {
        let emu = TsmEmulator::new(SEV_GUEST, echo);
        let dir = entry(&emu, "a");
        assert_eq!(errno(emu.create_dir(&dir).unwrap_err()), EEXIST);
        assert_eq!(emu.live_entries(), ["a"]);
        emu.remove_dir(&dir).unwrap();
        assert_eq!(errno(emu.remove_dir(&dir).unwrap_err()), ENOENT);
        assert!(emu.live_entries().is_empty());

        emu.set_provider_registered(false);
        assert_eq!(errno(emu.create_dir(&dir).unwrap_err()), ENXIO);
        emu.set_provider_registered(true);
        emu.set_access_denied(true);
        assert_eq!(errno(emu.create_dir(&dir).unwrap_err()), EACCES);
        emu.set_access_denied(false);
        emu.set_mounted(false);
        assert!(!emu.exists(emu.root()));
        assert_eq!(errno(emu.create_dir(&dir).unwrap_err()), ENOENT);
        emu.set_mounted(true);
        emu.fail_next(TsmOp::CreateEntry, EEXIST, 1);
        assert_eq!(errno(emu.create_dir(&dir).unwrap_err()), EEXIST);
        emu.create_dir(&dir).unwrap();
        assert_eq!(emu.entries_created(), 2);
        assert_eq!(emu.fs_calls(), 10);
        // Paths outside the root, and nested too deep, do not exist.
        assert!(!emu.exists(Path::new("/elsewhere")));
        assert!(!emu.exists(&dir.join("outblob").join("x")));
    }
}

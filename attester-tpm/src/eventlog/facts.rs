//! The boot facts users ask of a firmware log: is Secure Boot on and with which key
//! databases, which EFI applications (boot loader, kernel) were loaded and with what digests,
//! where the separators are, and the kernel command line where a boot loader measured it.
//!
//! Facts are read from event data, which the log does not authenticate: they are as
//! trustworthy as a replay that matched quoted PCRs. Event data that does not decode (buggy
//! firmware writes some) is listed in [`BootFacts::anomalies`] rather than failing the whole
//! extraction.

use super::event::Event;
use super::event_type::EventType;
use super::log::EventLog;
use super::raw::{DevicePathNodeHead, UefiImageLoadEventHead, UefiVariableDataHead};
use zerocopy::FromBytes;

/// EFI_GLOBAL_VARIABLE (8BE4DF61-93CA-11D2-AA0D-00E098032B8C) in its EFI byte order.
const EFI_GLOBAL_VARIABLE: [u8; 16] = [
    0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11, 0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c,
];

/// EFI_IMAGE_SECURITY_DATABASE_GUID (D719B2CB-3D3A-4596-A3BC-DAD00E67656F), owner of db/dbx.
const EFI_IMAGE_SECURITY_DATABASE: [u8; 16] = [
    0xcb, 0xb2, 0x19, 0xd7, 0x3a, 0x3d, 0x96, 0x45, 0xa3, 0xbc, 0xda, 0xd0, 0x0e, 0x67, 0x65, 0x6f,
];

/// The Secure Boot policy variables, by vendor GUID and name.
const POLICY_VARIABLES: [(&[u8; 16], &str); 5] = [
    (&EFI_GLOBAL_VARIABLE, "SecureBoot"),
    (&EFI_GLOBAL_VARIABLE, "PK"),
    (&EFI_GLOBAL_VARIABLE, "KEK"),
    (&EFI_IMAGE_SECURITY_DATABASE, "db"),
    (&EFI_IMAGE_SECURITY_DATABASE, "dbx"),
];

/// The prefixes GRUB gives the kernel command line it measures into PCR 8 (upstream GRUB 2.04+,
/// and the older Red Hat `linuxefi` patches).
const GRUB_CMDLINE_PREFIXES: [&str; 2] = ["kernel_cmdline: ", "grub_kernel_cmdline "];

/// What the Red Hat `linuxefi` patches measure the kernel as, into PCR 9.
const GRUB_LINUXEFI_KERNEL: &str = "grub_linuxefi Kernel";

/// A Secure Boot policy variable measured into PCR 7 (`EV_EFI_VARIABLE_DRIVER_CONFIG`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecureBootVariable {
    /// `SecureBoot`, `PK`, `KEK`, `db` or `dbx`.
    pub name: &'static str,
    /// The length of the variable's data (0: the variable is absent or empty).
    pub data_len: usize,
}

/// An EFI application the firmware loaded (`EV_EFI_BOOT_SERVICES_APPLICATION`).
#[derive(Clone, Debug)]
pub struct BootApplication<'a> {
    /// The record (PCR, digests per bank).
    pub event: Event<'a>,
    /// The file path of its device path (`\EFI\BOOT\BOOTX64.EFI`), when it has one.
    pub path: Option<String>,
}

/// An `EV_SEPARATOR` record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Separator {
    /// The PCR it was extended into.
    pub pcr: u32,
    /// Whether the data is the error value 0x00000001 rather than 0x00000000.
    pub error: bool,
}

/// The boot facts of one log.
#[derive(Clone, Debug, Default)]
pub struct BootFacts<'a> {
    /// The `SecureBoot` variable: `Some(true)` when its data is 1, `Some(false)` when 0, `None`
    /// when it is not measured or its data is empty.
    pub secure_boot: Option<bool>,
    /// The Secure Boot policy variables measured, in log order.
    pub policy_variables: Vec<SecureBootVariable>,
    /// Every EFI application loaded, in log order (firmware apps, boot loader, kernel).
    pub boot_applications: Vec<BootApplication<'a>>,
    /// Every separator, in log order.
    pub separators: Vec<Separator>,
    /// The last kernel command line measured by the boot loader (GRUB's `kernel_cmdline:` in
    /// PCR 8, or a UTF-16 load-options string of systemd-boot/stub in PCR 8 or 12).
    pub kernel_cmdline: Option<String>,
    /// `EV_EFI_ACTION` strings, in log order ("Exit Boot Services Invocation", …).
    pub efi_actions: Vec<String>,
    /// The kernel image measurement, when one can be told apart (see [`KernelImage`]).
    pub kernel: Option<KernelImage<'a>>,
    /// Records whose data did not decode, as "record at byte N: what".
    pub anomalies: Vec<String>,
    pcr4_separator_offset: Option<usize>,
    grub_events: bool,
}

/// Where the kernel's digest was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KernelSource {
    /// GRUB's `EV_IPL` of the kernel file in PCR 9 (the file named first on the measured
    /// command line, or Red Hat's `grub_linuxefi Kernel`).
    GrubIpl,
    /// Without GRUB measurements: the last EFI application loaded from PCR 4 after the boot
    /// loader (an EFI-stub kernel started by systemd-boot or shim through LoadImage).
    EfiApplication,
}

/// The record that measured the kernel image, with how it was recognised.
#[derive(Clone, Debug)]
pub struct KernelImage<'a> {
    /// The record (its digests are the kernel image's).
    pub event: Event<'a>,
    /// How it was recognised.
    pub source: KernelSource,
    /// The file name GRUB measured, or the EFI application's file path.
    pub path: Option<String>,
}

impl<'a> BootFacts<'a> {
    /// Extracts the facts of `log`.
    pub fn extract(log: &EventLog<'a>) -> Self {
        let mut facts = Self::default();
        for event in log.events() {
            facts.take(event);
        }
        facts.kernel = facts.grub_kernel(log).or_else(|| facts.efi_kernel());
        facts
    }

    /// GRUB's PCR 9 measurement of the kernel file named by the measured command line.
    fn grub_kernel(&self, log: &EventLog<'a>) -> Option<KernelImage<'a>> {
        let path = self
            .kernel_cmdline
            .as_deref()
            .and_then(|c| c.split(' ').next())
            .map(|p| p.rsplit(')').next().unwrap_or(p));
        // Type and PCR first: decoding every event's data as text would dominate extraction.
        let event = log.events().iter().find(|e| {
            e.event_type() == EventType::Ipl && e.pcr() == 9 && {
                let text = ipl_text(e);
                text == GRUB_LINUXEFI_KERNEL || Some(text.as_ref()) == path
            }
        })?;
        Some(KernelImage {
            event: *event,
            source: KernelSource::GrubIpl,
            path: Some(ipl_text(event).into_owned()),
        })
    }

    /// Without GRUB measurements, the last PCR 4 application after the boot loader.
    fn efi_kernel(&self) -> Option<KernelImage<'a>> {
        if self.grub_events {
            return None;
        }
        let loader = self.boot_loader()?.event.offset();
        let app = self
            .pcr4_applications()
            .filter(|app| app.event.offset() > loader)
            .last()?;
        Some(KernelImage {
            event: app.event,
            source: KernelSource::EfiApplication,
            path: app.path.clone(),
        })
    }

    /// The boot loader: the first EFI application loaded from PCR 4 after the PCR 4 separator
    /// (firmware measures the separators of PCRs 0–7 before it calls a boot option), or the
    /// first one at all when the log has no PCR 4 separator before an application.
    pub fn boot_loader(&self) -> Option<&BootApplication<'a>> {
        let mut apps = self.pcr4_applications();
        let separator = self.pcr4_separator_offset;
        separator
            .and_then(|at| apps.clone().find(|app| app.event.offset() > at))
            .or_else(|| apps.next())
    }

    fn pcr4_applications(&self) -> impl Iterator<Item = &BootApplication<'a>> + Clone {
        self.boot_applications
            .iter()
            .filter(|app| app.event.pcr() == 4)
    }

    /// Whether the policy variable `name` was measured with non-empty data.
    pub fn has_policy_variable(&self, name: &str) -> bool {
        self.policy_variables
            .iter()
            .any(|v| v.name == name && v.data_len > 0)
    }

    fn take(&mut self, event: &Event<'a>) {
        match event.event_type() {
            EventType::EfiVariableDriverConfig => self.take_variable(event),
            EventType::EfiBootServicesApplication => self.take_application(event),
            EventType::Separator => {
                if event.pcr() == 4 && self.pcr4_separator_offset.is_none() {
                    self.pcr4_separator_offset = Some(event.offset());
                }
                self.separators.push(Separator {
                    pcr: event.pcr(),
                    error: event.data() == [1, 0, 0, 0],
                });
            }
            EventType::Ipl if event.pcr() == 9 => self.grub_events = true,
            EventType::Ipl if matches!(event.pcr(), 8 | 12) => self.take_ipl(event),
            EventType::EfiAction => self
                .efi_actions
                .push(String::from_utf8_lossy(event.data()).into_owned()),
            _ => {}
        }
    }

    fn anomaly(&mut self, event: &Event<'a>, what: &str) {
        self.anomalies.push(format!(
            "record at byte {}: {} {what}",
            event.offset(),
            event.event_type()
        ));
    }

    fn take_variable(&mut self, event: &Event<'a>) {
        let Some((guid, name, data)) = uefi_variable(event.data()) else {
            return self.anomaly(event, "data is not a UEFI_VARIABLE_DATA");
        };
        let Some(&(_, known)) = POLICY_VARIABLES
            .iter()
            .find(|(g, n)| **g == guid && *n == name)
        else {
            return;
        };
        if known == "SecureBoot" {
            self.secure_boot = match data {
                [] => None,
                [0] => Some(false),
                [1] => Some(true),
                _ => {
                    self.anomaly(event, "SecureBoot data is not one byte 0 or 1");
                    None
                }
            };
            if data.is_empty() {
                self.anomaly(event, "SecureBoot data is empty");
            }
        }
        self.policy_variables.push(SecureBootVariable {
            name: known,
            data_len: data.len(),
        });
    }

    fn take_application(&mut self, event: &Event<'a>) {
        let path = match image_load_path(event.data()) {
            Ok(path) => path,
            Err(()) => {
                self.anomaly(event, "data is not a UEFI_IMAGE_LOAD_EVENT");
                None
            }
        };
        self.boot_applications.push(BootApplication {
            event: *event,
            path,
        });
    }

    fn take_ipl(&mut self, event: &Event<'a>) {
        let text = ipl_text(event);
        if text.starts_with("grub_") {
            self.grub_events = true;
        }
        let grub = GRUB_CMDLINE_PREFIXES
            .iter()
            .find_map(|prefix| text.strip_prefix(prefix));
        if let Some(cmdline) = grub {
            self.grub_events = true;
            self.kernel_cmdline = Some(cmdline.to_owned());
        } else if let Some(text) = utf16_text(event.data()) {
            self.kernel_cmdline = Some(text);
        }
    }
}

/// The data of an `EV_IPL` record as text, without its terminating NUL.
fn ipl_text<'a>(event: &Event<'a>) -> std::borrow::Cow<'a, str> {
    let data = event.data();
    String::from_utf8_lossy(data.strip_suffix(&[0]).unwrap_or(data))
}

/// (vendor GUID, name, data) of a `UEFI_VARIABLE_DATA`, whose lengths must add up exactly.
fn uefi_variable(data: &[u8]) -> Option<([u8; 16], String, &[u8])> {
    let (head, rest) = UefiVariableDataHead::ref_from_prefix(data).ok()?;
    let name_len = usize::try_from(head.unicode_name_length.get())
        .ok()?
        .checked_mul(2)?;
    let data_len = usize::try_from(head.variable_data_length.get()).ok()?;
    let (name, rest) = rest.split_at_checked(name_len)?;
    if rest.len() != data_len {
        return None;
    }
    Some((head.variable_name, utf16_lossy(name), rest))
}

/// The file path of a `UEFI_IMAGE_LOAD_EVENT`'s device path (`Ok(None)` when it has no file
/// path node), or `Err` when the device path does not fit the data.
fn image_load_path(data: &[u8]) -> Result<Option<String>, ()> {
    let (head, rest) = UefiImageLoadEventHead::ref_from_prefix(data).map_err(|_| ())?;
    let len = usize::try_from(head.length_of_device_path.get()).map_err(|_| ())?;
    // Shim pads the event of the images it loads with zeros after the device path; the
    // padding is tolerated, a device path longer than the data is not.
    let path = rest.get(..len).ok_or(())?;
    device_path_file(path)
}

/// The concatenated media File Path nodes (type 4, sub-type 4) of a device path, walking nodes
/// up to the end node; every node length is checked against the bytes.
fn device_path_file(mut path: &[u8]) -> Result<Option<String>, ()> {
    let mut file = String::new();
    while let Ok((node, _)) = DevicePathNodeHead::ref_from_prefix(path) {
        let len = usize::from(node.length.get());
        let (whole, rest) = path.split_at_checked(len).ok_or(())?;
        let body = whole.get(size_of::<DevicePathNodeHead>()..).ok_or(())?;
        match (node.node_type, node.sub_type) {
            (0x7f, 0xff) => break,
            (0x04, 0x04) => file.push_str(&utf16_lossy(body)),
            _ => {}
        }
        path = rest;
    }
    Ok((!file.is_empty()).then_some(file))
}

/// UTF-16LE to a string, without its terminating NUL; invalid units become U+FFFD.
fn utf16_lossy(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| {
            u16::from_le_bytes([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ])
        })
        .collect();
    let units = units.strip_suffix(&[0]).unwrap_or(&units);
    String::from_utf16_lossy(units)
}

/// Text that is UTF-16LE of printable ASCII (how systemd measures load options), else `None`.
/// An odd length ending in one zero byte (a one-byte terminator, seen from systemd-boot) is
/// accepted without it.
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let bytes = match bytes.len() % 2 {
        1 => bytes.strip_suffix(&[0])?,
        _ => bytes,
    };
    if bytes.len() < 2 {
        return None;
    }
    let text = utf16_lossy(bytes);
    let printable = !text.is_empty() && text.chars().all(|c| c == ' ' || c.is_ascii_graphic());
    printable.then_some(text)
}

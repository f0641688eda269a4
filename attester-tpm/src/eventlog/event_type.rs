//! Event types (TCG PC Client Platform Firmware Profile 1.05 rev 23, §10.4.1 Table 10 "Events"),
//! kept typed so that callers match on names rather than numbers. A value the profile does not
//! define stays representable as [`EventType::Other`].

use std::fmt;

macro_rules! event_types {
    ($($(#[$doc:meta])* $name:ident = $value:literal, $text:literal;)*) => {
        /// An `eventType` of the PC Client profile.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum EventType {
            $($(#[$doc])* $name,)*
            /// A value the profile does not define (vendor or newer revision).
            Other(u32),
        }

        impl EventType {
            /// The type of the 32-bit `eventType` value.
            pub fn from_u32(value: u32) -> Self {
                match value {
                    $($value => Self::$name,)*
                    other => Self::Other(other),
                }
            }

            /// The 32-bit value.
            pub fn as_u32(self) -> u32 {
                match self {
                    $(Self::$name => $value,)*
                    Self::Other(value) => value,
                }
            }

            /// The profile's name (`EV_SEPARATOR`), or `None` for [`EventType::Other`].
            pub fn name(self) -> Option<&'static str> {
                match self {
                    $(Self::$name => Some($text),)*
                    Self::Other(_) => None,
                }
            }
        }
    };
}

event_types! {
    /// EV_PREBOOT_CERT (deprecated).
    PrebootCert = 0x0000_0000, "EV_PREBOOT_CERT";
    /// EV_POST_CODE: POST code, embedded SMM code.
    PostCode = 0x0000_0001, "EV_POST_CODE";
    /// EV_UNUSED.
    Unused = 0x0000_0002, "EV_UNUSED";
    /// EV_NO_ACTION: informational, never extended into a PCR.
    NoAction = 0x0000_0003, "EV_NO_ACTION";
    /// EV_SEPARATOR: the boundary between pre-OS and OS-present measurements.
    Separator = 0x0000_0004, "EV_SEPARATOR";
    /// EV_ACTION: a fixed action string.
    Action = 0x0000_0005, "EV_ACTION";
    /// EV_EVENT_TAG: a tagged event.
    EventTag = 0x0000_0006, "EV_EVENT_TAG";
    /// EV_S_CRTM_CONTENTS.
    SCrtmContents = 0x0000_0007, "EV_S_CRTM_CONTENTS";
    /// EV_S_CRTM_VERSION: the S-CRTM version string.
    SCrtmVersion = 0x0000_0008, "EV_S_CRTM_VERSION";
    /// EV_CPU_MICROCODE.
    CpuMicrocode = 0x0000_0009, "EV_CPU_MICROCODE";
    /// EV_PLATFORM_CONFIG_FLAGS.
    PlatformConfigFlags = 0x0000_000A, "EV_PLATFORM_CONFIG_FLAGS";
    /// EV_TABLE_OF_DEVICES.
    TableOfDevices = 0x0000_000B, "EV_TABLE_OF_DEVICES";
    /// EV_COMPACT_HASH.
    CompactHash = 0x0000_000C, "EV_COMPACT_HASH";
    /// EV_IPL: initial program loader code or data (GRUB commands, kernel command lines).
    Ipl = 0x0000_000D, "EV_IPL";
    /// EV_IPL_PARTITION_DATA.
    IplPartitionData = 0x0000_000E, "EV_IPL_PARTITION_DATA";
    /// EV_NONHOST_CODE.
    NonhostCode = 0x0000_000F, "EV_NONHOST_CODE";
    /// EV_NONHOST_CONFIG.
    NonhostConfig = 0x0000_0010, "EV_NONHOST_CONFIG";
    /// EV_NONHOST_INFO.
    NonhostInfo = 0x0000_0011, "EV_NONHOST_INFO";
    /// EV_OMIT_BOOT_DEVICE_EVENTS.
    OmitBootDeviceEvents = 0x0000_0012, "EV_OMIT_BOOT_DEVICE_EVENTS";
    /// EV_POST_CODE2.
    PostCode2 = 0x0000_0013, "EV_POST_CODE2";
    /// EV_EFI_VARIABLE_DRIVER_CONFIG: a UEFI variable read by a driver (SecureBoot, PK, KEK, db, dbx).
    EfiVariableDriverConfig = 0x8000_0001, "EV_EFI_VARIABLE_DRIVER_CONFIG";
    /// EV_EFI_VARIABLE_BOOT: a Boot#### or BootOrder variable.
    EfiVariableBoot = 0x8000_0002, "EV_EFI_VARIABLE_BOOT";
    /// EV_EFI_BOOT_SERVICES_APPLICATION: an EFI application (boot loader, kernel) loaded.
    EfiBootServicesApplication = 0x8000_0003, "EV_EFI_BOOT_SERVICES_APPLICATION";
    /// EV_EFI_BOOT_SERVICES_DRIVER.
    EfiBootServicesDriver = 0x8000_0004, "EV_EFI_BOOT_SERVICES_DRIVER";
    /// EV_EFI_RUNTIME_SERVICES_DRIVER.
    EfiRuntimeServicesDriver = 0x8000_0005, "EV_EFI_RUNTIME_SERVICES_DRIVER";
    /// EV_EFI_GPT_EVENT: the GPT of the boot device.
    EfiGptEvent = 0x8000_0006, "EV_EFI_GPT_EVENT";
    /// EV_EFI_ACTION: a fixed action string ("Exit Boot Services Invocation").
    EfiAction = 0x8000_0007, "EV_EFI_ACTION";
    /// EV_EFI_PLATFORM_FIRMWARE_BLOB.
    EfiPlatformFirmwareBlob = 0x8000_0008, "EV_EFI_PLATFORM_FIRMWARE_BLOB";
    /// EV_EFI_HANDOFF_TABLES.
    EfiHandoffTables = 0x8000_0009, "EV_EFI_HANDOFF_TABLES";
    /// EV_EFI_PLATFORM_FIRMWARE_BLOB2.
    EfiPlatformFirmwareBlob2 = 0x8000_000A, "EV_EFI_PLATFORM_FIRMWARE_BLOB2";
    /// EV_EFI_HANDOFF_TABLES2.
    EfiHandoffTables2 = 0x8000_000B, "EV_EFI_HANDOFF_TABLES2";
    /// EV_EFI_VARIABLE_BOOT2.
    EfiVariableBoot2 = 0x8000_000C, "EV_EFI_VARIABLE_BOOT2";
    /// EV_EFI_GPT_EVENT2.
    EfiGptEvent2 = 0x8000_000D, "EV_EFI_GPT_EVENT2";
    /// EV_EFI_HCRTM_EVENT.
    EfiHcrtmEvent = 0x8000_0010, "EV_EFI_HCRTM_EVENT";
    /// EV_EFI_VARIABLE_AUTHORITY: the db entry that authorised an image.
    EfiVariableAuthority = 0x8000_00E0, "EV_EFI_VARIABLE_AUTHORITY";
    /// EV_EFI_SPDM_FIRMWARE_BLOB.
    EfiSpdmFirmwareBlob = 0x8000_00E1, "EV_EFI_SPDM_FIRMWARE_BLOB";
    /// EV_EFI_SPDM_FIRMWARE_CONFIG.
    EfiSpdmFirmwareConfig = 0x8000_00E2, "EV_EFI_SPDM_FIRMWARE_CONFIG";
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "0x{:08x}", self.as_u32()),
        }
    }
}

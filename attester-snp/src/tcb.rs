//! TCB_VERSION in both byte layouts, and the processor generation that selects the layout and
//! the AMD root.

use std::fmt;

/// An AMD EPYC processor generation that runs SEV-SNP, each with its own AMD root key (ARK).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Generation {
    /// 3rd generation EPYC (Zen 3, family 0x19 models 0x00..=0x0F).
    Milan,
    /// 4th generation EPYC (Zen 4, family 0x19 models 0x10..=0x1F and 0xA0..=0xAF).
    Genoa,
    /// 5th generation EPYC (Zen 5, family 0x1A models 0x00..=0x11).
    Turin,
}

impl Generation {
    /// Every generation this crate knows, oldest first.
    pub const ALL: [Generation; 3] = [Self::Milan, Self::Genoa, Self::Turin];

    /// The product name AMD uses in KDS URLs and certificate names (`Milan`, `Genoa`, `Turin`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Milan => "Milan",
            Self::Genoa => "Genoa",
            Self::Turin => "Turin",
        }
    }

    /// The generation of a CPUID family and model (the combined family and model as the
    /// report's CPUID_FAM_ID and CPUID_MOD_ID hold them), or `None` for a part this crate does
    /// not know.
    pub fn from_cpuid(family: u8, model: u8) -> Option<Self> {
        match (family, model) {
            (0x19, 0x00..=0x0F) => Some(Self::Milan),
            (0x19, 0x10..=0x1F | 0xA0..=0xAF) => Some(Self::Genoa),
            (0x1A, 0x00..=0x11) => Some(Self::Turin),
            _ => None,
        }
    }

    /// The generation named by a VCEK/VLEK `productName` extension: `Milan-B0`, `Genoa`,
    /// `Turin` (the part after `-` is the stepping).
    pub fn from_product_name(name: &str) -> Option<Self> {
        let product = name.split('-').next().unwrap_or(name);
        Self::ALL.into_iter().find(|g| g.as_str() == product)
    }

    /// How this generation lays out TCB_VERSION.
    pub fn tcb_layout(self) -> TcbLayout {
        match self {
            Self::Milan | Self::Genoa => TcbLayout::MilanGenoa,
            Self::Turin => TcbLayout::Turin,
        }
    }
}

impl fmt::Display for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The two byte layouts of TCB_VERSION.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TcbLayout {
    /// Milan and Genoa: byte 0 boot loader, 1 TEE, 6 SNP, 7 microcode; 2..=5 reserved.
    MilanGenoa,
    /// Turin: byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 7 microcode; 4..=6 reserved.
    Turin,
}

/// A TCB_VERSION as the report stores it: eight bytes whose meaning depends on the layout.
///
/// Never compare TCBs as integers: compare [`Tcb`] components.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TcbVersion(pub [u8; 8]);

impl TcbVersion {
    /// The raw bytes.
    pub fn bytes(&self) -> [u8; 8] {
        self.0
    }

    /// The bytes read as the little-endian u64 tools print.
    pub fn raw(&self) -> u64 {
        u64::from_le_bytes(self.0)
    }

    /// The components under `layout`.
    pub fn decode(&self, layout: TcbLayout) -> Tcb {
        let [b0, b1, b2, b3, _, _, b6, b7] = self.0;
        match layout {
            TcbLayout::MilanGenoa => Tcb {
                fmc: None,
                bootloader: b0,
                tee: b1,
                snp: b6,
                microcode: b7,
            },
            TcbLayout::Turin => Tcb {
                fmc: Some(b0),
                bootloader: b1,
                tee: b2,
                snp: b3,
                microcode: b7,
            },
        }
    }

    /// Whether the bytes a layout reserves are zero.
    pub fn reserved_zero(&self, layout: TcbLayout) -> bool {
        let [_, _, b2, b3, b4, b5, b6, _] = self.0;
        match layout {
            TcbLayout::MilanGenoa => [b2, b3, b4, b5] == [0; 4],
            TcbLayout::Turin => [b4, b5, b6] == [0; 3],
        }
    }
}

/// The security patch levels (SPLs) of one TCB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Tcb {
    /// The FMC (first mutable code) SPL, Turin and later only.
    pub fmc: Option<u8>,
    /// The boot loader SPL.
    pub bootloader: u8,
    /// The PSP OS (TEE) SPL.
    pub tee: u8,
    /// The SNP firmware SPL.
    pub snp: u8,
    /// The microcode SPL.
    pub microcode: u8,
}

impl Tcb {
    /// The first component of `self` below `minimum`, by name (`fmc`, `bootloader`, `tee`,
    /// `snp`, `microcode`), or `None` when every component is at least the minimum. A minimum
    /// FMC is met only by a TCB that has one.
    pub fn first_below(&self, minimum: &Tcb) -> Option<&'static str> {
        if let Some(min_fmc) = minimum.fmc {
            if self.fmc.is_none_or(|fmc| fmc < min_fmc) {
                return Some("fmc");
            }
        }
        [
            ("bootloader", self.bootloader, minimum.bootloader),
            ("tee", self.tee, minimum.tee),
            ("snp", self.snp, minimum.snp),
            ("microcode", self.microcode, minimum.microcode),
        ]
        .into_iter()
        .find(|(_, have, min)| have < min)
        .map(|(name, _, _)| name)
    }
}

impl fmt::Display for Tcb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(fmc) = self.fmc {
            write!(f, "fmc {fmc}, ")?;
        }
        write!(
            f,
            "bl {}, tee {}, snp {}, ucode {}",
            self.bootloader, self.tee, self.snp, self.microcode
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_decode_the_vectors_bytes() {
        // Genoa REPORTED_TCB and Turin REPORTED_TCB from the corpus notes.
        let genoa = TcbVersion([0x0a, 0, 0, 0, 0, 0, 0x17, 0x54]).decode(TcbLayout::MilanGenoa);
        assert_eq!(
            genoa,
            Tcb {
                fmc: None,
                bootloader: 10,
                tee: 0,
                snp: 23,
                microcode: 84
            }
        );
        let turin = TcbVersion([1, 1, 1, 4, 0, 0, 0, 0x51]).decode(TcbLayout::Turin);
        assert_eq!(
            turin,
            Tcb {
                fmc: Some(1),
                bootloader: 1,
                tee: 1,
                snp: 4,
                microcode: 0x51
            }
        );
        assert_eq!(
            TcbVersion([1, 1, 1, 4, 0, 0, 0, 0x51]).raw(),
            0x5100_0000_0401_0101
        );
    }

    #[test]
    fn comparison_is_per_component() {
        let have = Tcb {
            fmc: None,
            bootloader: 4,
            tee: 0,
            snp: 24,
            microcode: 217,
        };
        let mut min = have;
        assert_eq!(have.first_below(&min), None);
        min.microcode = 218;
        assert_eq!(have.first_below(&min), Some("microcode"));
        min = have;
        min.fmc = Some(0);
        assert_eq!(have.first_below(&min), Some("fmc"));
        min = have;
        min.tee = 1;
        assert_eq!(have.first_below(&min), Some("tee"));
    }

    #[test]
    fn generations() {
        assert_eq!(Generation::from_cpuid(0x19, 0x01), Some(Generation::Milan));
        assert_eq!(Generation::from_cpuid(0x19, 0x11), Some(Generation::Genoa));
        assert_eq!(Generation::from_cpuid(0x1A, 0x02), Some(Generation::Turin));
        assert_eq!(Generation::from_cpuid(0x1A, 0x50), None);
        assert_eq!(Generation::from_cpuid(0, 0), None);
        assert_eq!(
            Generation::from_product_name("Milan-B0"),
            Some(Generation::Milan)
        );
        assert_eq!(
            Generation::from_product_name("Turin"),
            Some(Generation::Turin)
        );
        assert_eq!(Generation::from_product_name("Venice"), None);
    }
}

//! Every OS but Linux: CCA guests exist only under Linux's configfs-tsm.

use super::CcaAttester;
use attester_core::tsm::RealFs;
use attester_core::{Error, Result};

/// Always [`ErrorKind::Unsupported`](attester_core::ErrorKind::Unsupported) off Linux.
pub fn open() -> Result<CcaAttester<RealFs>> {
    Err(Error::Unsupported(
        "Arm CCA evidence needs Linux configfs-tsm (arm_cca_guest)".into(),
    ))
}

//! The device backend (in progress).

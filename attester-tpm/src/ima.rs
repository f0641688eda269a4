//! IMA (placeholder, filled below).

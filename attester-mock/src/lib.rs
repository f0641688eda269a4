//! NOT SECURE: test keys only.

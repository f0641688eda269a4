//! The established TLS connection the authenticators travel over, and the checks the draft
//! puts on it before any attestation.

use crate::error::Error;
use crate::keys::Exporter;
use rustls::{
    ClientConnection, CommonState, ConnectionCommon, HandshakeKind, ProtocolVersion,
    ServerConnection, Side, SideData, StreamOwned,
};
use std::io::{Read, Write};
use std::ops::DerefMut;

/// A TLS 1.3 connection with its transport: bytes in and out, the exporter, and the state the
/// attestation layer checks.
pub trait TlsChannel: Read + Write + Exporter {
    /// Which end of the connection this is.
    fn side(&self) -> Side;
    /// The connection's negotiated parameters.
    fn state(&self) -> &CommonState;
    /// Sends `close_notify` and flushes it.
    fn close(&mut self) -> Result<(), Error>;
}

/// Which end a rustls connection type is.
pub trait ConnectionSide {
    /// The side.
    const SIDE: Side;
}

impl ConnectionSide for ClientConnection {
    const SIDE: Side = Side::Client;
}

impl ConnectionSide for ServerConnection {
    const SIDE: Side = Side::Server;
}

impl<C, S, T> Exporter for StreamOwned<C, T>
where
    C: DerefMut<Target = ConnectionCommon<S>> + ConnectionSide,
    S: SideData + 'static,
    T: Read + Write,
{
    fn export(&self, label: &[u8], context: &[u8], out: &mut [u8]) -> Result<(), Error> {
        // TLS 1.3 treats an absent and an empty context alike; pass it explicitly anyway.
        self.conn
            .export_keying_material(out, label, Some(context))?;
        Ok(())
    }
}

impl<C, S, T> TlsChannel for StreamOwned<C, T>
where
    C: DerefMut<Target = ConnectionCommon<S>> + ConnectionSide,
    S: SideData + 'static,
    T: Read + Write,
{
    fn side(&self) -> Side {
        C::SIDE
    }

    fn state(&self) -> &CommonState {
        &self.conn
    }

    fn close(&mut self) -> Result<(), Error> {
        self.conn.send_close_notify();
        self.flush()?;
        Ok(())
    }
}

/// The draft's rules (expat "Connection rules"; RFC 9261 §7): the handshake is complete, the
/// version is TLS 1.3 (so the exporter is the `exporter_master_secret`'s), and the handshake
/// was a full one — a connection resumed from a ticket is refused.
pub fn check_connection(state: &CommonState) -> Result<(), Error> {
    if state.is_handshaking() {
        return Err(Error::Connection("the handshake has not completed"));
    }
    if state.protocol_version() != Some(ProtocolVersion::TLSv1_3) {
        return Err(Error::Connection("attestation requires TLS 1.3"));
    }
    match state.handshake_kind() {
        Some(HandshakeKind::Full | HandshakeKind::FullWithHelloRetryRequest) => Ok(()),
        Some(HandshakeKind::Resumed) => Err(Error::Connection(
            "the session was resumed from a ticket; expat requires a full handshake",
        )),
        None => Err(Error::Connection("the handshake kind is unknown")),
    }
}

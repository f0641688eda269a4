//! Platform keys (CPAK, or IAK in older texts) a verifier trusts, in the three forms they are
//! distributed in: a PEM or DER SubjectPublicKeyInfo, a bare JWK (RFC 7517), and a
//! trust-anchor store — the JSON list `[{"instance-id", "implementation-id", "pkey": JWK}]`
//! that veraison's tools and Trustee use, where a key applies only to the platform whose
//! instance ID (claim 256) it names.
//!
//! Every key is checked when it is loaded, including that its point is on its curve: a key
//! that is not a valid public key is a failed trust check, never something to try later.

use attester_core::crypto::{
    self, CryptoError, Curve, KeyType, PublicKey, Signature, SignatureAlg,
};
use attester_core::x509::pem_blocks;
use attester_core::{Check, Error, Result};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

const WHAT: &str = "CCA platform key";

/// One trusted platform key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformKey {
    curve: Curve,
    encoding: KeyBytes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum KeyBytes {
    Spki(Vec<u8>),
    Point(Vec<u8>),
}

impl PlatformKey {
    /// A key from a DER SubjectPublicKeyInfo (P-256 or P-384).
    ///
    /// # Errors
    /// [`Check::Trust`] when it is not a valid EC public key.
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        let curve = match PublicKey::Spki(der).key_type() {
            Ok(KeyType::Ec(curve)) => curve,
            Ok(KeyType::Rsa) => return Err(refused("an RSA key; CCA platform keys are EC")),
            Err(e) => return Err(refused_crypto(&e)),
        };
        let key = Self {
            curve,
            encoding: KeyBytes::Spki(der.to_vec()),
        };
        key.check_on_curve()?;
        Ok(key)
    }

    /// A key from an uncompressed SEC1 point on `curve`.
    ///
    /// # Errors
    /// [`Check::Trust`] when the point is not on the curve.
    pub fn from_sec1(curve: Curve, point: &[u8]) -> Result<Self> {
        let key = Self {
            curve,
            encoding: KeyBytes::Point(point.to_vec()),
        };
        key.check_on_curve()?;
        Ok(key)
    }

    /// A key from a JWK object (`kty` EC, `crv` P-256 or P-384, base64url `x` and `y`).
    ///
    /// # Errors
    /// [`Error::Malformed`] when the JSON is not such a JWK, [`Check::Trust`] when the point
    /// is not on the curve.
    pub fn from_jwk(jwk: &Value) -> Result<Self> {
        let field = |name: &'static str| {
            jwk.get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| Error::malformed(WHAT, format!("JWK has no string `{name}`")))
        };
        if field("kty")? != "EC" {
            return Err(Error::malformed(WHAT, "JWK `kty` is not EC"));
        }
        let curve = match field("crv")? {
            "P-256" => Curve::P256,
            "P-384" => Curve::P384,
            other => {
                return Err(Error::malformed(
                    WHAT,
                    format!("JWK curve `{other}` is not P-256 or P-384"),
                ));
            }
        };
        let mut point = Vec::with_capacity(curve.uncompressed_point_len());
        point.push(0x04);
        for name in ["x", "y"] {
            let coordinate = URL_SAFE_NO_PAD
                .decode(field(name)?)
                .map_err(|_| Error::malformed(WHAT, format!("JWK `{name}` is not base64url")))?;
            if coordinate.len() != curve.scalar_len() {
                return Err(Error::malformed(
                    WHAT,
                    format!("JWK `{name}` is not {} bytes", curve.scalar_len()),
                ));
            }
            point.extend_from_slice(&coordinate);
        }
        Self::from_sec1(curve, &point)
    }

    /// The key's curve.
    pub fn curve(&self) -> Curve {
        self.curve
    }

    /// The key as the crypto seam takes it.
    pub fn public_key(&self) -> PublicKey<'_> {
        match &self.encoding {
            KeyBytes::Spki(der) => PublicKey::Spki(der),
            KeyBytes::Point(sec1) => PublicKey::EcPoint {
                curve: self.curve,
                sec1,
            },
        }
    }

    /// Whether the point is on its curve. The seam has no "load key" call, so a verification
    /// of a well-formed but wrong signature tells the two outcomes apart: a bad key is
    /// reported before any signature arithmetic.
    fn check_on_curve(&self) -> Result<()> {
        let dummy = [1u8; 96];
        let signature = dummy.get(..self.curve.fixed_signature_len()).unwrap_or(&[]);
        match crypto::default_provider().verify(
            SignatureAlg::Ecdsa {
                curve: self.curve,
                hash: self.curve.default_hash(),
            },
            self.public_key(),
            b"attester-cca key check",
            Signature::EcdsaFixed(signature),
        ) {
            Ok(()) | Err(CryptoError::BadSignature) => Ok(()),
            Err(e) => Err(refused_crypto(&e)),
        }
    }
}

fn refused(reason: &str) -> Error {
    Error::check(Check::Trust, format!("platform key refused: {reason}"))
}

fn refused_crypto(e: &CryptoError) -> Error {
    refused(&e.to_string())
}

/// A trust-anchor store entry: a key that applies to one platform instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// The platform instance ID (claim 256) the key belongs to.
    pub instance_id: Vec<u8>,
    /// The implementation ID (claim 2396) the store records, when it does.
    pub implementation_id: Option<Vec<u8>>,
    /// The key.
    pub key: PlatformKey,
}

/// Every platform key a verifier trusts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlatformKeys {
    keys: Vec<PlatformKey>,
    anchors: Vec<Anchor>,
}

impl PlatformKeys {
    /// No trusted key.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `key` for any platform instance (what a bare key file means).
    pub fn add_key(&mut self, key: PlatformKey) {
        self.keys.push(key);
    }

    /// Trusts a key for one platform instance.
    pub fn add_anchor(&mut self, anchor: Anchor) {
        self.anchors.push(anchor);
    }

    /// The store entries (keys bound to one platform instance).
    pub fn anchors(&self) -> &[Anchor] {
        &self.anchors
    }

    /// Whether no key is trusted.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.anchors.is_empty()
    }

    /// Adds the keys of a file in any of the three forms: PEM `PUBLIC KEY` blocks, a DER
    /// SubjectPublicKeyInfo, a JWK object, or a trust-anchor store array.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a file in none of the forms, [`Check::Trust`] for a key that
    /// is not a valid public key.
    pub fn add_file(&mut self, bytes: &[u8]) -> Result<()> {
        let text = std::str::from_utf8(bytes).ok().map(str::trim_start);
        if let Some(text) = text {
            if text.starts_with('{') || text.starts_with('[') {
                let value: Value = serde_json::from_str(text)
                    .map_err(|e| Error::malformed(WHAT, format!("not JSON: {e}")))?;
                return self.add_json(&value);
            }
            if text.starts_with("-----BEGIN ") {
                let blocks = pem_blocks(bytes)?;
                if blocks.is_empty() {
                    return Err(Error::malformed(WHAT, "no PEM block"));
                }
                for block in blocks {
                    if block.label != "PUBLIC KEY" {
                        return Err(Error::malformed(
                            WHAT,
                            format!("PEM block `{}` is not a PUBLIC KEY", block.label),
                        ));
                    }
                    self.add_key(PlatformKey::from_spki_der(&block.der)?);
                }
                return Ok(());
            }
        }
        self.add_key(PlatformKey::from_spki_der(bytes)?);
        Ok(())
    }

    /// Adds a JWK object or a trust-anchor store array.
    ///
    /// # Errors
    /// As [`Self::add_file`].
    pub fn add_json(&mut self, value: &Value) -> Result<()> {
        match value {
            Value::Object(_) => {
                self.add_key(PlatformKey::from_jwk(value)?);
                Ok(())
            }
            Value::Array(entries) => {
                for entry in entries {
                    let hex_field = |name: &str| -> Result<Option<Vec<u8>>> {
                        match entry.get(name) {
                            None => Ok(None),
                            Some(Value::String(text)) => {
                                hex::decode(text).map(Some).map_err(|_| {
                                    Error::malformed(WHAT, format!("store `{name}` is not hex"))
                                })
                            }
                            Some(_) => Err(Error::malformed(
                                WHAT,
                                format!("store `{name}` is not a string"),
                            )),
                        }
                    };
                    let instance_id = hex_field("instance-id")?.ok_or_else(|| {
                        Error::malformed(WHAT, "store entry without `instance-id`")
                    })?;
                    let implementation_id = hex_field("implementation-id")?;
                    let pkey = entry
                        .get("pkey")
                        .ok_or_else(|| Error::malformed(WHAT, "store entry without `pkey`"))?;
                    self.add_anchor(Anchor {
                        instance_id,
                        implementation_id,
                        key: PlatformKey::from_jwk(pkey)?,
                    });
                }
                Ok(())
            }
            _ => Err(Error::malformed(
                WHAT,
                "JSON is neither a JWK object nor a trust-anchor store array",
            )),
        }
    }

    /// The keys that may sign the platform token of `instance_id` and `implementation_id`:
    /// the store entries for that instance (and implementation, when the entry names one),
    /// then every bare key.
    pub fn candidates<'s>(
        &'s self,
        instance_id: &'s [u8],
        implementation_id: &'s [u8],
    ) -> impl Iterator<Item = &'s PlatformKey> + 's {
        self.anchors
            .iter()
            .filter(move |a| {
                a.instance_id == instance_id
                    && a.implementation_id
                        .as_deref()
                        .is_none_or(|id| id == implementation_id)
            })
            .map(|a| &a.key)
            .chain(self.keys.iter())
    }
}

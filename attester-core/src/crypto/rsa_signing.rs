//! RSASSA-PSS signing keys for test PKIs: the mock's AMD-shaped ARK and ASK sign with
//! RSA-PSS, SHA-384 and a 48-byte salt, as AMD's do.
//!
//! NOT for production keys: the mock's come from files committed with it.

use std::fmt;

use super::{CryptoError, HashAlg};

/// An RSA private key that signs with RSASSA-PSS (MGF1 with the same hash, salt length = hash
/// length, trailer 0xBC: what [`SignatureAlg::RsaPss`](super::SignatureAlg::RsaPss) verifies).
///
/// Signs through the default provider (aws-lc-rs when compiled in, else RustCrypto); PSS is
/// randomised (the salt), so two signatures of one message differ. Either provider's
/// signatures verify under both.
pub struct RsaSigningKey {
    spki: Vec<u8>,
    inner: Inner,
}

#[cfg(feature = "aws-lc")]
type Inner = aws_lc_rs::signature::RsaKeyPair;

#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
type Inner = rsa::PrivateKey;

impl RsaSigningKey {
    /// The key of a DER PKCS#8 `PrivateKeyInfo` holding an RSA key of 2048 to 8192 bits.
    ///
    /// # Errors
    /// [`CryptoError::MalformedKey`] when the DER is not such a key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, CryptoError> {
        Self::load(der)
    }

    /// A fresh random key of 2048, 3072 or 4096 bits (e = 65537), from the operating
    /// system's random numbers: for test PKIs whose keys need not be reproducible.
    ///
    /// # Errors
    /// [`CryptoError::Unsupported`] for another size, [`CryptoError::Provider`] if the
    /// library fails.
    pub fn generate(bits: usize) -> Result<Self, CryptoError> {
        if ![2048, 3072, 4096].contains(&bits) {
            return Err(CryptoError::Unsupported(
                "RSA key generation of 2048, 3072 or 4096 bits only",
            ));
        }
        Self::generate_inner(bits)
    }

    /// The public key as a DER `SubjectPublicKeyInfo` (`rsaEncryption`).
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// An RSASSA-PSS signature of `message` with `hash` (and MGF1-`hash`, salt of the hash's
    /// length), as many bytes as the modulus.
    ///
    /// # Errors
    /// [`CryptoError::Provider`] if the library fails to sign (not expected).
    pub fn sign_pss(&self, hash: HashAlg, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.sign_inner(hash, message)
    }

    #[cfg(feature = "aws-lc")]
    fn load(der: &[u8]) -> Result<Self, CryptoError> {
        use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
        use aws_lc_rs::signature::KeyPair;

        let inner = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(der)
            .map_err(|_| CryptoError::MalformedKey("not a PKCS#8 RSA private key"))?;
        let spki: PublicKeyX509Der<'_> = inner
            .public_key()
            .as_der()
            .map_err(|_| CryptoError::Provider("aws-lc-rs cannot encode the RSA public key"))?;
        let spki = spki.as_ref().to_vec();
        check_size(&spki)?;
        Ok(Self { spki, inner })
    }

    #[cfg(feature = "aws-lc")]
    fn generate_inner(bits: usize) -> Result<Self, CryptoError> {
        use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
        use aws_lc_rs::rsa::KeySize;

        let size = match bits {
            2048 => KeySize::Rsa2048,
            3072 => KeySize::Rsa3072,
            _ => KeySize::Rsa4096,
        };
        let generated = aws_lc_rs::signature::RsaKeyPair::generate(size)
            .map_err(|_| CryptoError::Provider("aws-lc-rs failed to generate an RSA key"))?;
        let pkcs8: Pkcs8V1Der<'static> = generated
            .as_der()
            .map_err(|_| CryptoError::Provider("aws-lc-rs cannot encode the RSA key"))?;
        Self::load(pkcs8.as_ref())
    }

    #[cfg(feature = "aws-lc")]
    fn sign_inner(&self, hash: HashAlg, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        use aws_lc_rs::signature as lc;

        let padding: &'static dyn lc::RsaEncoding = match hash {
            HashAlg::Sha256 => &lc::RSA_PSS_SHA256,
            HashAlg::Sha384 => &lc::RSA_PSS_SHA384,
            HashAlg::Sha512 => &lc::RSA_PSS_SHA512,
        };
        let mut signature = vec![0u8; self.inner.public_modulus_len()];
        // aws-lc-rs draws the salt internally; the RNG argument is part of ring's API.
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.inner
            .sign(padding, &rng, message, &mut signature)
            .map_err(|_| CryptoError::Provider("aws-lc-rs failed to sign"))?;
        Ok(signature)
    }

    #[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
    fn load(der: &[u8]) -> Result<Self, CryptoError> {
        use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};

        let inner = rsa::PrivateKey::from_pkcs8_der(der)
            .map_err(|_| CryptoError::MalformedKey("not a PKCS#8 RSA private key"))?;
        let spki = inner
            .to_public_key()
            .to_public_key_der()
            .map_err(|_| CryptoError::Provider("rsa cannot encode the RSA public key"))?
            .into_vec();
        check_size(&spki)?;
        Ok(Self { spki, inner })
    }

    #[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
    fn generate_inner(bits: usize) -> Result<Self, CryptoError> {
        use rsa::pkcs8::EncodePublicKey;

        let inner = rsa::PrivateKey::new(&mut SystemRng, bits)
            .map_err(|_| CryptoError::Provider("rsa failed to generate an RSA key"))?;
        let spki = inner
            .to_public_key()
            .to_public_key_der()
            .map_err(|_| CryptoError::Provider("rsa cannot encode the RSA public key"))?
            .into_vec();
        Ok(Self { spki, inner })
    }

    #[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
    fn sign_inner(&self, hash: HashAlg, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        use rsa::signature::{RandomizedSigner, SignatureEncoding};

        let failed = |_| CryptoError::Provider("RustCrypto failed to sign");
        let key = self.inner.clone();
        let mut rng = SystemRng;
        Ok(match hash {
            HashAlg::Sha256 => rsa::pss::SigningKey::<sha2::Sha256>::new(key)
                .try_sign_with_rng(&mut rng, message)
                .map_err(failed)?
                .to_vec(),
            HashAlg::Sha384 => rsa::pss::SigningKey::<sha2::Sha384>::new(key)
                .try_sign_with_rng(&mut rng, message)
                .map_err(failed)?
                .to_vec(),
            HashAlg::Sha512 => rsa::pss::SigningKey::<sha2::Sha512>::new(key)
                .try_sign_with_rng(&mut rng, message)
                .map_err(failed)?
                .to_vec(),
        })
    }
}

/// Refuses a key the verifiers would refuse (outside 2048..=8192 bits, even modulus, ...).
fn check_size(spki: &[u8]) -> Result<(), CryptoError> {
    match super::PublicKey::Spki(spki).key_type()? {
        super::KeyType::Rsa => {
            super::prepare::prepare_key(
                super::SignatureAlg::RsaPss {
                    hash: HashAlg::Sha256,
                },
                super::PublicKey::Spki(spki),
            )?;
            Ok(())
        }
        super::KeyType::Ec(_) => Err(CryptoError::MalformedKey("not an RSA key")),
    }
}

/// The operating system's random numbers, for the salt and blinding of RustCrypto's PSS.
#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
struct SystemRng;

/// The operating system refused random numbers.
#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
#[derive(Debug)]
struct RngFailure;

#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
impl fmt::Display for RngFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the operating system random number generator failed")
    }
}

#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
impl std::error::Error for RngFailure {}

#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
impl rsa::rand_core::TryRng for SystemRng {
    type Error = RngFailure;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut bytes = [0u8; 4];
        os_random(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut bytes = [0u8; 8];
        os_random(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        os_random(dst)
    }
}

#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
fn os_random(dst: &mut [u8]) -> Result<(), RngFailure> {
    getrandom::fill(dst).map_err(|_| RngFailure)
}

#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
impl rsa::rand_core::TryCryptoRng for SystemRng {}

impl fmt::Debug for RsaSigningKey {
    // The private key is never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaSigningKey").finish_non_exhaustive()
    }
}

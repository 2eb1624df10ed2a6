//! Pre-sign-in CSRF tokens: a random nonce and its HMAC under the installation's key, so that a
//! token is accepted only if this installation issued it (not one an attacker planted in a cookie).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{App, Result};
use crate::db;

const NONCE_HEX: usize = 32;
/// The token's length in characters: 32 hex of nonce, then 32 hex of (truncated) HMAC-SHA256.
pub const TOKEN_LEN: usize = 64;

/// The installation's signing key.
#[derive(Clone)]
pub struct CsrfKey(Vec<u8>);

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(..)")
    }
}

/// Reads the installation's key (created by a migration, shared by every `serve` process).
pub async fn key(app: &App) -> Result<CsrfKey> {
    let key = db::instance::csrf_key(&app.pool).await?;
    Ok(CsrfKey(key.into_bytes()))
}

impl CsrfKey {
    pub fn from_bytes(key: &[u8]) -> CsrfKey {
        CsrfKey(key.to_vec())
    }

    fn mac(&self, nonce: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"podpub-anon-csrf:");
        mac.update(nonce.as_bytes());
        mac
    }

    /// A new token.
    pub fn issue(&self) -> String {
        let nonce = hex::encode(rand::random::<[u8; NONCE_HEX / 2]>());
        let tag = self.mac(&nonce).finalize().into_bytes();
        format!(
            "{nonce}{}",
            hex::encode(&tag[..(TOKEN_LEN - NONCE_HEX) / 2])
        )
    }

    /// Whether `token` is one that [`CsrfKey::issue`] made with this key (in constant time).
    pub fn verify(&self, token: &str) -> bool {
        if token.len() != TOKEN_LEN || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
        let (nonce, tag) = token.split_at(NONCE_HEX);
        let Ok(tag) = hex::decode(tag) else {
            return false;
        };
        self.mac(nonce).verify_truncated_left(&tag).is_ok()
    }

    fn value_mac(&self, purpose: &str, value: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(b":");
        mac.update(value.as_bytes());
        mac
    }

    /// `value` with a tag: `value.tag`, for a cookie the server must have set itself.
    pub fn sign_value(&self, purpose: &str, value: &str) -> String {
        let tag = self.value_mac(purpose, value).finalize().into_bytes();
        format!("{value}.{}", hex::encode(&tag[..16]))
    }

    /// The value of a `sign_value` result made with this key for `purpose`, if it is one.
    pub fn verify_value<'a>(&self, purpose: &str, signed: &'a str) -> Option<&'a str> {
        let (value, tag) = signed.rsplit_once('.')?;
        let tag = hex::decode(tag).ok().filter(|t| t.len() == 16)?;
        let mac = self.value_mac(purpose, value);
        mac.verify_truncated_left(&tag).is_ok().then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_issued_under_the_key_verify() {
        let key = CsrfKey::from_bytes(b"one key");
        let token = key.issue();
        assert_eq!(token.len(), TOKEN_LEN);
        assert!(key.verify(&token));
        assert!(!CsrfKey::from_bytes(b"another key").verify(&token));
        assert!(!key.verify(&"0".repeat(TOKEN_LEN)));
        let mut forged = token.clone();
        forged.replace_range(0..1, if token.starts_with('a') { "b" } else { "a" });
        assert!(!key.verify(&forged));
        assert!(!key.verify(&token[..TOKEN_LEN - 2]));
    }

    #[test]
    fn signed_values_verify_only_for_their_key_and_purpose() {
        let key = CsrfKey::from_bytes(b"one key");
        let signed = key.sign_value("notice", "saved");
        assert_eq!(key.verify_value("notice", &signed), Some("saved"));
        assert_eq!(key.verify_value("other", &signed), None);
        assert_eq!(
            CsrfKey::from_bytes(b"k2").verify_value("notice", &signed),
            None
        );
        let forged = signed.replacen("saved", "purged", 1);
        assert_eq!(key.verify_value("notice", &forged), None);
        assert_eq!(key.verify_value("notice", "saved"), None);
    }
}

//! Email addresses: of users, of invitations, and of a show's owner.

use std::fmt;

/// An email address: trimmed, at most 254 characters, one `@` between a non-empty local part
/// and a domain with a dot, and no spaces or control characters. Compared without case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why an email address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnEmail;

impl fmt::Display for NotAnEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("must be an email address")
    }
}

impl std::error::Error for NotAnEmail {}

impl Email {
    pub fn parse(raw: &str) -> Result<Email, NotAnEmail> {
        let email = raw.trim();
        let Some((local, domain)) = email.split_once('@') else {
            return Err(NotAnEmail);
        };
        let valid = email.chars().count() <= super::limits::EMAIL
            && !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if valid {
            Ok(Email(email.to_string()))
        } else {
            Err(NotAnEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_every_email_address() {
        assert_eq!(
            Email::parse("  ada@example.com ").unwrap().as_str(),
            "ada@example.com"
        );
        assert!(Email::parse("ada+podcasts@mail.example.co.uk").is_ok());
        for bad in [
            "",
            "nobody",
            "@example.com",
            "a@b",
            "a@b@example.com",
            "a b@example.com",
            "a@example.com.",
            "a@.example.com",
            "a\u{0}b@example.com",
            &format!("{}@example.com", "x".repeat(250)),
        ] {
            assert_eq!(Email::parse(bad), Err(NotAnEmail), "{bad:?}");
        }
    }
}

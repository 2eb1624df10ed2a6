//! Enums that are stored and sent as one word: a column of text in Postgres, a string in JSON.

/// Declares an enum whose variants are written as the given words, with serde, sqlx (a `text`
/// column) and OpenAPI support, `as_str`, `FromStr`, `Display` and `ALL`.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:tt,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, sqlx::Type, utoipa::ToSchema,
        )]
        #[sqlx(type_name = "text")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $text)]
                #[sqlx(rename = $text)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every value's word, in declaration order.
            pub const WORDS: &'static [&'static str] = &[$($text),+];

            /// The word that stands for this value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::UnknownWord;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::domain::UnknownWord {
                        allowed: &[$($text),+],
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;

/// A word that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    pub allowed: &'static [&'static str],
}

impl std::fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "must be one of: {}", self.allowed.join(", "))
    }
}

impl std::error::Error for UnknownWord {}

#[cfg(test)]
mod tests {
    use crate::domain::{
        EpisodeState, EpisodeStatus, EpisodeType, JobKind, JobState, Medium, ObjectKind,
        PublishState, Role, ShowStatus, ShowType,
    };

    /// Each value's word is what serde writes and reads, and what `FromStr` reads.
    fn words_agree<T>(all: &[T], word: fn(&T) -> &'static str)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + std::str::FromStr + PartialEq,
        T: std::fmt::Debug,
        <T as std::str::FromStr>::Err: std::fmt::Debug,
    {
        for value in all {
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(json, word(value), "{value:?}");
            assert_eq!(&serde_json::from_value::<T>(json).unwrap(), value);
            assert_eq!(&word(value).parse::<T>().unwrap(), value);
        }
    }

    #[test]
    fn every_word_is_the_same_in_json_in_sql_and_in_rust() {
        words_agree(ShowType::ALL, |v| v.as_str());
        words_agree(ShowStatus::ALL, |v| v.as_str());
        words_agree(PublishState::ALL, |v| v.as_str());
        words_agree(EpisodeType::ALL, |v| v.as_str());
        words_agree(EpisodeStatus::ALL, |v| v.as_str());
        words_agree(EpisodeState::ALL, |v| v.as_str());
        words_agree(JobKind::ALL, |v| v.as_str());
        words_agree(JobState::ALL, |v| v.as_str());
        words_agree(ObjectKind::ALL, |v| v.as_str());
        words_agree(Role::ALL, |v| v.as_str());
        words_agree(Medium::ALL, |v| v.as_str());
        assert_eq!(PublishState::UpToDate.as_str(), "up_to_date");
        assert_eq!(Medium::PodcastL.as_str(), "podcastL");
        let err = "weekly".parse::<ShowType>().unwrap_err();
        assert_eq!(err.to_string(), "must be one of: episodic, serial");
    }
}

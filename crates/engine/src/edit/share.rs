//! Share links: the scenario's text, the file it stands for and the as-of date, as JSON,
//! deflated and base64url-encoded after a version prefix, for the URL fragment. A link
//! from a newer version, a corrupt one or a truncated one gives a clear error.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::source::diagnostic::Problem;

/// The link format this version writes and reads: 2 since contract 2 (the two readings of
/// "U.S. person"); a version-1 link opens with contract 1's reading.
pub const VERSION: u32 = 2;

/// The most bytes a link may unpack to.
pub const MAX_UNPACKED: usize = 16 * 1024 * 1024;

/// The longest link fragment accepted, in characters.
pub const MAX_LINK: usize = 4 * 1024 * 1024;

/// What a link carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedScenario {
    /// The name the text goes by (a preset path, or an imported file's name).
    pub path: String,
    /// The scenario text.
    pub text: String,
    /// The as-of date chosen by the reader, if any (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The reader's changes to the population spec.
    #[serde(default, skip_serializing_if = "is_default")]
    pub adjustments: crate::load::spec::Adjustments,
    /// The view: the record whose "why" panel is open, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// The design contract the document was made under; absent in links and autosaves
    /// made before contract 2, which read `us_person` the old way.
    #[serde(default = "contract_1")]
    pub contract: u32,
}

fn contract_1() -> u32 {
    1
}

/// Where the files shipped under contract 1 are kept, beside the current ones.
pub const CONTRACT_1_FILES: &str = "contract-1/";

/// The contract this version writes.
pub const CONTRACT: u32 = 2;

impl SharedScenario {
    /// The document as this version reads it: one made under contract 1 gets
    /// `contract = 1` written into its text, so that it opens with the numbers it had then
    /// (and says so), and keeps them when exported.
    pub fn upgraded(mut self) -> SharedScenario {
        if self.contract < CONTRACT {
            self.text = crate::edit::mark_contract_1(&self.text);
            // Its relative paths name the files shipped then, kept under `contract-1/`.
            if !self.path.starts_with('/') && !self.path.starts_with(CONTRACT_1_FILES) {
                self.path = format!("{CONTRACT_1_FILES}{}", self.path);
            }
            self.contract = CONTRACT;
        }
        self
    }
}

fn is_default(adjustments: &crate::load::spec::Adjustments) -> bool {
    adjustments.segments.is_empty()
}

/// What can be wrong with a link.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum LinkError {
    /// Not a Cutoff scenario link.
    #[error("this link holds no scenario")]
    NotALink,
    /// Made by a newer version.
    #[error("this link was made by a newer version of Cutoff (format {0})")]
    NewerVersion(u32),
    /// Damaged or cut short.
    #[error("this link is damaged or incomplete")]
    Corrupt,
    /// Too long to open safely.
    #[error("this link is longer than {MAX_LINK} characters")]
    TooLong,
}

impl Problem for LinkError {
    fn help(&self) -> Option<String> {
        Some(match self {
            LinkError::NotALink => "a scenario link ends in `#s=` followed by the scenario".into(),
            LinkError::NewerVersion(_) => {
                "open it with the latest Cutoff, or ask for the scenario file".into()
            }
            LinkError::Corrupt => {
                "copy the whole link again; chat apps sometimes cut long links".into()
            }
            LinkError::TooLong => "share the scenario as a file instead".into(),
        })
    }
}

/// The fragment (without `#`) for a scenario: `s=1.<data>`.
pub fn encode(scenario: &SharedScenario) -> String {
    let json = serde_json::to_vec(scenario).unwrap_or_default();
    format!("s={VERSION}.{}", pack(&json))
}

/// Bytes deflated and base64url-encoded, as every link carries them.
pub fn pack(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, 9))
}

/// The bytes a fragment (with or without `#`) `NAME=VERSION.<data>` carries, for a link
/// `name` of format `latest` or older.
pub fn unpack(fragment: &str, name: &str, latest: u32) -> Result<Vec<u8>, LinkError> {
    let fragment = fragment.trim_start_matches('#');
    if fragment.len() > MAX_LINK {
        return Err(LinkError::TooLong);
    }
    let body = fragment
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix('='))
        .ok_or(LinkError::NotALink)?;
    let (version, data) = body.split_once('.').ok_or(LinkError::Corrupt)?;
    let version: u32 = version.parse().map_err(|_| LinkError::Corrupt)?;
    if version > latest {
        return Err(LinkError::NewerVersion(version));
    }
    if version < 1 {
        return Err(LinkError::Corrupt);
    }
    let packed = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|_| LinkError::Corrupt)?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_UNPACKED)
        .map_err(|_| LinkError::Corrupt)
}

/// The scenario in a fragment (with or without `#`).
pub fn decode(fragment: &str) -> Result<SharedScenario, LinkError> {
    let json = unpack(fragment, "s", VERSION)?;
    let shared: SharedScenario = serde_json::from_slice(&json).map_err(|_| LinkError::Corrupt)?;
    Ok(shared.upgraded())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SharedScenario {
        SharedScenario {
            path: "friday-letter/complies-exactly.scenario.toml".into(),
            text: "title = \"t\"\nas_of = 2026-11-21\n".repeat(20),
            as_of: Some("2026-12-01".into()),
            adjustments: crate::load::spec::Adjustments::default(),
            why: Some("s2".into()),
            contract: CONTRACT,
        }
    }

    /// A link as version 1 wrote it: no `contract` in the JSON.
    fn version_1_link(text: &str) -> String {
        let json = serde_json::json!({ "path": "old.scenario.toml", "text": text });
        let packed = miniz_oxide::deflate::compress_to_vec(json.to_string().as_bytes(), 9);
        format!("s=1.{}", URL_SAFE_NO_PAD.encode(packed))
    }

    #[test]
    fn a_version_1_link_opens_with_the_contract_1_reading() {
        let text = "title = \"old\"\nas_of = 2026-11-21\n";
        let opened = decode(&version_1_link(text)).expect("opens");
        assert_eq!(opened.contract, CONTRACT);
        assert!(opened.text.contains("\ncontract = 1\n"), "{}", opened.text);
        assert!(opened.text.ends_with(text), "{}", opened.text);
        // A link made now keeps its text as it is.
        assert_eq!(decode(&encode(&sample())), Ok(sample()));
    }

    #[test]
    fn round_trips_and_compresses() {
        let link = encode(&sample());
        assert!(link.starts_with("s=2."));
        assert!(link.len() < sample().text.len());
        assert_eq!(decode(&format!("#{link}")), Ok(sample()));
    }

    #[test]
    fn rejects_newer_corrupt_and_truncated_links() {
        let link = encode(&sample());
        assert_eq!(
            decode(&link.replacen("s=2.", "s=3.", 1)),
            Err(LinkError::NewerVersion(3))
        );
        assert_eq!(decode(&link[..link.len() / 2]), Err(LinkError::Corrupt));
        assert_eq!(decode("s=1.!!!"), Err(LinkError::Corrupt));
        assert_eq!(decode("q=1"), Err(LinkError::NotALink));
        assert_eq!(decode(""), Err(LinkError::NotALink));
        assert_eq!(
            decode(&format!("s=1.{}", "A".repeat(MAX_LINK))),
            Err(LinkError::TooLong)
        );
    }
}

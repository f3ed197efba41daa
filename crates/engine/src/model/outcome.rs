//! What can happen to one person's access to one product, in order of severity.

use serde::{Deserialize, Serialize};

/// What happens to one person's access to one product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Barred by law and blocked.
    Denied,
    /// Needs a license they do not hold, and blocked.
    LicenseRequired,
    /// Lawful, but blocked by the provider anyway.
    Collateral,
    /// Served now but not before. Only with a baseline.
    Gains,
    /// Barred by law but still served.
    Leaked,
    /// Lawful because an explicit exemption matched, and served.
    Exempt,
    /// Lawful and served.
    Retains,
    /// Not served now and not served before either: it never had access (an existing
    /// sanction, a region the provider does not serve). Only with a baseline.
    Unavailable,
}

impl Outcome {
    /// Every outcome, most severe first: a person's worst outcome over the products they
    /// use is the first in this order, so one who gains is one who gains and loses nothing.
    pub const ALL: [Outcome; 8] = [
        Outcome::Denied,
        Outcome::LicenseRequired,
        Outcome::Collateral,
        Outcome::Gains,
        Outcome::Leaked,
        Outcome::Exempt,
        Outcome::Retains,
        Outcome::Unavailable,
    ];

    /// How many outcomes there are.
    pub const COUNT: usize = Outcome::ALL.len();

    /// The name used in files and test hooks.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Denied => "denied",
            Outcome::LicenseRequired => "license_required",
            Outcome::Collateral => "collateral",
            Outcome::Leaked => "leaked",
            Outcome::Exempt => "exempt",
            Outcome::Retains => "retains",
            Outcome::Unavailable => "unavailable",
            Outcome::Gains => "gains",
        }
    }

    /// Parses the name used in files.
    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// Whether the pair has access: the gate lets it through (DESIGN §4.7).
    pub fn served(self) -> bool {
        matches!(
            self,
            Outcome::Retains | Outcome::Exempt | Outcome::Leaked | Outcome::Gains
        )
    }

    /// The outcome counted against a baseline in which the pair's outcome was `before`:
    /// a pair served before keeps its outcome; one that was not is `gains` if served now,
    /// else `unavailable`.
    pub fn against(self, before: Outcome) -> Outcome {
        match (before.served(), self.served()) {
            (true, _) => self,
            (false, true) => Outcome::Gains,
            (false, false) => Outcome::Unavailable,
        }
    }

    /// Whether the person loses access to the product.
    pub fn loses_access(self) -> bool {
        matches!(
            self,
            Outcome::Denied | Outcome::LicenseRequired | Outcome::Collateral
        )
    }

    /// Position in [`Outcome::ALL`] (the declaration order).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Whether bit `index` of `mask` is set; indices past 63 are never set.
#[inline]
pub fn has_bit(mask: u64, index: usize) -> bool {
    index < 64 && (mask >> index) & 1 == 1
}

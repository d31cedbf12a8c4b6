//! The claims of a Clerk session token and of the `t2m-api` template token.

use serde::{Deserialize, Serialize};

/// The name of the JWT template API clients ask for.
pub const API_TEMPLATE: &str = "t2m-api";

/// `aud` may be one string or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    /// Whether `expected` is among the audiences.
    pub fn contains(&self, expected: &str) -> bool {
        match self {
            Self::One(aud) => aud == expected,
            Self::Many(list) => list.iter().any(|aud| aud == expected),
        }
    }
}

/// `permissions` arrives as an array, or (from a Clerk template over empty metadata) as a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Permissions {
    List(Vec<String>),
    Text(String),
}

impl Permissions {
    /// The permission names, whichever way they were written.
    pub fn into_vec(self) -> Vec<String> {
        match self {
            Self::List(list) => list,
            Self::Text(text) => text
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// Role, tier and permissions as Clerk puts user metadata into session claims (`metadata` is the seed's
/// custom claim `{{user.public_metadata}}`; `public_metadata` is the same data under Clerk's own name).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetadataClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_tier: Option<String>,
}

impl SessionClaims {
    /// Role, tier and permissions in precedence order: the `t2m-api` template's top-level claims, then
    /// `metadata`, then `public_metadata`; each value from the first source that names it. The users table
    /// comes after all of them. Only the winning values are cloned.
    pub fn claimed(&self) -> MetadataClaims {
        let nested = [self.metadata.as_ref(), self.public_metadata.as_ref()];
        MetadataClaims {
            role: first_named(&self.role, nested, |m| &m.role),
            permissions: first_named(&self.permissions, nested, |m| &m.permissions),
            subscription_tier: first_named(&self.subscription_tier, nested, |m| {
                &m.subscription_tier
            }),
        }
    }
}

fn first_named<'a, T: Clone>(
    top_level: &'a Option<T>,
    nested: [Option<&'a MetadataClaims>; 2],
    field: impl Fn(&'a MetadataClaims) -> &'a Option<T>,
) -> Option<T> {
    top_level
        .as_ref()
        .or_else(|| nested.into_iter().flatten().find_map(|m| field(m).as_ref()))
        .cloned()
}

/// Everything T2M reads from a verified token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionClaims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub iss: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
    pub exp: i64,
    pub iat: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The user's display name (a custom claim; Clerk templates can add `{{user.first_name}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_tier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MetadataClaims>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_metadata: Option<MetadataClaims>,
}

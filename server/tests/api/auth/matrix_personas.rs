//! The people the authorization matrix plays: a visitor, a member, a premium member and an admin, each signed in
//! through the built-in provider with a job, a file and a session of their own.

use crate::helpers::TestApp;
use app::domain::user::{Role, Tier};
use serde_json::Value;

/// Who sends a request. `Stranger` is the member sending the premium member's ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persona {
    Anonymous,
    Member,
    Premium,
    Admin,
    Stranger,
}

/// Every persona, in the order each row is played: owners act before the stranger reuses their ids.
pub const PERSONAS: [Persona; 5] = [
    Persona::Anonymous,
    Persona::Member,
    Persona::Premium,
    Persona::Admin,
    Persona::Stranger,
];

/// A signed-in user: their cookie jar (pages, provider), their API token and what they own.
pub struct Account {
    pub client: reqwest::Client,
    pub token: String,
    pub session_id: String,
    pub job_id: String,
    pub file_id: String,
    /// Premium members' and admins' batch (the free member has none; their file id stands in).
    pub batch_id: Option<String>,
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// Signs a new user up with `role` and `tier`, then gives them a queued job and an uploaded file.
pub async fn account(app: &TestApp, email: &str, role: Role, tier: Tier) -> Account {
    let client = browser();
    let signed_up = client
        .post(app.url("/v1/client/sign_ups"))
        .header("origin", &app.address)
        .form(&[("email", email), ("password", "correct horse battery")])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), 303, "{email} signs up");
    let user = app::services::users::repo::find_by_email(&app.state.db, email)
        .await
        .unwrap()
        .unwrap();
    app::services::users::repo::set_role_and_tier(&app.state.db, &user.id, role, tier, None)
        .await
        .unwrap();
    let me: Value = client
        .get(app.url("/v1/client"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session_id = me["session"]["id"].as_str().unwrap().to_owned();
    let minted: Value = client
        .post(app.url(&format!("/v1/client/sessions/{session_id}/tokens/t2m-api")))
        .header("origin", &app.address)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = minted["jwt"].as_str().unwrap().to_owned();
    // A page visit mints the `__session` cookie pages are judged by, with the role and tier set above.
    client.get(app.url("/dashboard")).send().await.unwrap();
    let job: Value = client
        .post(app.url("/api/v1/videos/generate"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"prompt": "a red circle", "duration": 1, "quality": "480p"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(png)
            .file_name("dot.png")
            .mime_str("image/png")
            .unwrap(),
    );
    let file: Value = client
        .post(app.url("/api/v1/files/upload"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let batch: Value = client
        .post(app.url("/api/v1/batches"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"prompts": ["a green star"], "duration": 1, "quality": "480p"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Account {
        batch_id: batch["data"]["batch_id"].as_str().map(str::to_owned),
        client,
        token,
        session_id,
        job_id: job["data"]["job_id"]
            .as_str()
            .expect("job queued")
            .to_owned(),
        file_id: file["data"]["id"].as_str().expect("file stored").to_owned(),
    }
}

/// The cast of one matrix run.
pub struct Cast {
    pub anonymous: reqwest::Client,
    pub member: Account,
    pub premium: Account,
    pub admin: Account,
}

impl Cast {
    pub async fn new(app: &TestApp) -> Self {
        Self {
            anonymous: browser(),
            member: account(app, "member@example.com", Role::User, Tier::Free).await,
            premium: account(app, "premium@example.com", Role::User, Tier::Premium).await,
            admin: account(app, "admin@example.com", Role::Admin, Tier::Free).await,
        }
    }

    /// Who sends the request (`None`: nobody is signed in) and whose ids fill the path.
    pub fn roles(&self, persona: Persona) -> (Option<&Account>, Option<&Account>) {
        match persona {
            Persona::Anonymous => (None, Some(&self.member)),
            Persona::Member => (Some(&self.member), Some(&self.member)),
            Persona::Premium => (Some(&self.premium), Some(&self.premium)),
            Persona::Admin => (Some(&self.admin), Some(&self.admin)),
            Persona::Stranger => (Some(&self.member), Some(&self.premium)),
        }
    }
}

/// `path` with its parameters filled from `owner`'s job, file and session.
pub fn fill(path: &str, owner: &Account) -> String {
    let job_paths = [
        "/api/v1/jobs/",
        "/api/status/",
        "/api/v1/videos/",
        "/videos/",
    ];
    let id = if job_paths.iter().any(|p| path.starts_with(p)) {
        &owner.job_id
    } else if path.starts_with("/api/v1/batches/") {
        owner.batch_id.as_ref().unwrap_or(&owner.file_id)
    } else {
        &owner.file_id
    };
    path.replace("{id}", id)
        .replace(":id", id)
        .replace("{job_id}", &owner.job_id)
        .replace("{file_id}", &owner.file_id)
        .replace("{sid}", &owner.session_id)
        .replace("{template}", "t2m-api")
        .replace("{*rest}", "no-such-endpoint")
}

//! `GET /api/v1/me/export`: everything T2M holds about the caller as one zip: `account.json`, `jobs.json`,
//! `files.json` and the stored bytes (`uploads/`, `videos/`, ... as `<file id>-<name>`). The archive is built
//! in a temp file on disk and streamed from there, so a large library never sits in memory.

use crate::error::AppError;
use crate::services::auth::Identity;
use crate::services::db::iso8601;
use crate::services::files::{repo as files_repo, FileRow, Storage};
use crate::services::jobs::repo as jobs_repo;
use crate::services::AppState;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A stored file to put in the archive, from disk.
struct Entry {
    name: String,
    source: PathBuf,
    /// Downloaded from the bucket for the export; removed afterwards.
    temporary: bool,
    /// Media are already compressed: deflating them again costs CPU for nothing.
    compress: bool,
}

/// The archive's folder for a file kind.
fn folder(kind: &str) -> &'static str {
    match kind {
        "video" => "videos",
        "thumbnail" => "thumbnails",
        "avatar" => "avatar",
        _ => "uploads",
    }
}

/// The archive entry name of a stored file: unique by id, readable by name.
pub fn entry_name(row: &FileRow) -> String {
    format!(
        "{}/{}-{}",
        folder(&row.kind),
        row.id,
        row.filename.replace(['/', '\\'], "_")
    )
}

/// Builds the caller's archive and returns it opened for reading. On Unix its path is already unlinked, so
/// the bytes vanish once the response is sent (or dropped), whatever happens.
///
/// # Errors
/// Database, storage and I/O failures.
#[tracing::instrument(skip_all, fields(user = %identity.user_id))]
pub async fn build(state: &AppState, identity: &Identity) -> Result<tokio::fs::File, AppError> {
    let user = crate::services::users::repo::find(&state.db, &identity.user_id).await?;
    let account = json!({
        "id": identity.user_id,
        "email": user.as_ref().and_then(|u| u.email.clone()).or_else(|| identity.email.clone()),
        "first_name": user.as_ref().and_then(|u| u.first_name.clone()),
        "last_name": user.as_ref().and_then(|u| u.last_name.clone()),
        "role": identity.role.as_str(),
        "subscription_tier": identity.tier.as_str(),
        "onboarded": user.as_ref().is_some_and(|u| u.onboarded != 0),
        "created_at": user.as_ref().map(|u| iso8601(u.created_at)),
        "last_sign_in_at": user.as_ref().and_then(|u| u.last_sign_in_at.map(iso8601)),
        "exported_at": iso8601(crate::services::db::now_ms()),
    });
    let jobs: Vec<_> = jobs_repo::list_all_owned(&state.db, &identity.user_id)
        .await?
        .iter()
        .map(|job| job.view(None))
        .collect();
    let rows = files_repo::list_all_owned(&state.db, &identity.user_id).await?;
    let files: Vec<_> = rows.iter().map(FileRow::view).collect();
    let documents = vec![
        (
            "account.json",
            serde_json::to_vec_pretty(&account).map_err(AppError::internal)?,
        ),
        (
            "jobs.json",
            serde_json::to_vec_pretty(&jobs).map_err(AppError::internal)?,
        ),
        (
            "files.json",
            serde_json::to_vec_pretty(&files).map_err(AppError::internal)?,
        ),
    ];
    let mut entries = Vec::with_capacity(rows.len());
    let result = gather(state, &rows, &mut entries).await;
    let archive = state.store.temp_path();
    let built = match result {
        Ok(()) => {
            let (path, list) = (archive.clone(), &entries);
            let list: Vec<(String, PathBuf, bool)> = list
                .iter()
                .map(|e| (e.name.clone(), e.source.clone(), e.compress))
                .collect();
            tokio::task::spawn_blocking(move || write_zip(&path, &documents, &list))
                .await
                .map_err(AppError::internal)?
        }
        Err(err) => Err(err),
    };
    for entry in entries.iter().filter(|e| e.temporary) {
        let _ = tokio::fs::remove_file(&entry.source).await;
    }
    if let Err(err) = built {
        let _ = tokio::fs::remove_file(&archive).await;
        return Err(err);
    }
    let file = tokio::fs::File::open(&archive).await?;
    #[cfg(unix)]
    let _ = tokio::fs::remove_file(&archive).await;
    Ok(file)
}

/// A local path for every stored file: the object itself on disk, or a download of it from the bucket.
async fn gather(
    state: &AppState,
    rows: &[FileRow],
    entries: &mut Vec<Entry>,
) -> Result<(), AppError> {
    for row in rows {
        let compress = !["video/", "image/", "audio/"]
            .iter()
            .any(|p| row.content_type.starts_with(p));
        let (source, temporary) = match &state.store {
            Storage::Local(_) => match state.store.path_of(&row.storage_key) {
                Some(path) if tokio::fs::try_exists(&path).await.unwrap_or(false) => (path, false),
                _ => {
                    tracing::warn!(file = %row.id, "a file row points at missing bytes; left out of the export");
                    continue;
                }
            },
            Storage::S3 { bucket, .. } => {
                use futures_util::TryStreamExt;
                use tokio::io::AsyncWriteExt;
                let path = state.store.temp_path();
                let mut out = tokio::fs::File::create(&path).await?;
                entries.push(Entry {
                    name: String::new(),
                    source: path.clone(),
                    temporary: true,
                    compress,
                });
                let mut stream = bucket.read(&row.storage_key, None).await?;
                while let Some(chunk) = stream.try_next().await? {
                    out.write_all(&chunk).await?;
                }
                out.flush().await?;
                entries.pop();
                (path, true)
            }
        };
        entries.push(Entry {
            name: entry_name(row),
            source,
            temporary,
            compress,
        });
    }
    Ok(())
}

fn write_zip(
    path: &Path,
    documents: &[(&str, Vec<u8>)],
    files: &[(String, PathBuf, bool)],
) -> Result<(), AppError> {
    let zip_err = |e: zip::result::ZipError| AppError::internal(format!("export zip: {e}"));
    let out = std::fs::File::create(path)?;
    let mut zip = ZipWriter::new(std::io::BufWriter::new(out));
    let deflate = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in documents {
        zip.start_file(*name, deflate).map_err(zip_err)?;
        zip.write_all(bytes)?;
    }
    for (name, source, compress) in files {
        let mut input = std::fs::File::open(source)?;
        let size = input.metadata()?.len();
        let options = if *compress {
            deflate
        } else {
            SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
        }
        .large_file(size >= u64::from(u32::MAX));
        zip.start_file(name.as_str(), options).map_err(zip_err)?;
        std::io::copy(&mut input, &mut zip)?;
    }
    zip.finish().map_err(zip_err)?.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_foldered_by_kind_and_named_by_id_and_name() {
        let row = FileRow {
            id: "file_1".into(),
            user_id: "u".into(),
            kind: "video".into(),
            filename: "a/b.mp4".into(),
            content_type: "video/mp4".into(),
            size_bytes: 1,
            sha256: String::new(),
            storage_key: String::new(),
            metadata: "{}".into(),
            created_at: 0,
        };
        assert_eq!(entry_name(&row), "videos/file_1-a_b.mp4");
        let upload = FileRow {
            kind: "image".into(),
            filename: "x.png".into(),
            ..row
        };
        assert_eq!(entry_name(&upload), "uploads/file_1-x.png");
    }
}

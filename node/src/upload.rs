//! The binary record upload (`--pmr-upload-addr`): `POST /records` with the record's bytes as
//! the body and the rest of the submission (`format`, `patient`, `category`, `target`,
//! `signer`: what `pmr_submitRecord` takes but `data`) as JSON in the `PMR-Submission` header.
//! It answers as `pmr_submitRecord` does: `{"job": "job-…"}` once the record is stored
//! durably, or the same typed error (`{"code": 7001, "message": …, "data": …}`) with an HTTP
//! status.
//!
//! Why: a study travels through JSON-RPC as hex, twice its size, in one JSON document that the
//! node must scan and decode before anything else; for a 16 MiB study that was most of the
//! ingest (docs/performance.md). Here the body arrives as it is, in chunks, and a record over
//! the node's limit is refused as soon as its `Content-Length` (or its bytes) say so.
//!
//! It is as gated as the unsafe `pmr_` methods, which receive the same personal data: it
//! listens on a loopback address, or elsewhere only on a node that allows unsafe RPC methods
//! (`--rpc-methods unsafe`, behind the hospital's authenticating proxy, docs/worker.md).
//! Browsers (the web app's lab page) may call it from the origins the node's `--rpc-cors`
//! allows, as they call the JSON-RPC server: the upload answers their preflight, and refuses a
//! request from any other origin (403).

use crate::service::IngestWorker;
use hyper::{
	body::HttpBody,
	header::{
		HeaderValue, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
		ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, CONTENT_LENGTH, CONTENT_TYPE, ORIGIN,
		VARY,
	},
	service::{make_service_fn, service_fn},
	Body, Method, Request, Response, Server, StatusCode,
};
use pmr_worker::{
	job::JobId,
	rpc::{error_code, SubmissionHead},
	SubmitError, Submission,
};
use serde_json::{json, Value};
use std::{convert::Infallible, net::SocketAddr, sync::Arc};

/// The header that carries the submission's JSON.
pub const SUBMISSION_HEADER: &str = "pmr-submission";

/// The web origins whose pages may call the upload: the node's `--rpc-cors` (`None`: any).
#[derive(Clone, Debug)]
pub struct Cors(pub Option<Vec<String>>);

impl Cors {
	fn allows(&self, origin: &str) -> bool {
		self.0.as_ref().is_none_or(|origins| origins.iter().any(|o| o == origin))
	}
}

/// Binds `addr` (checked against the node's RPC policy: `unsafe_allowed`) and returns the
/// server to spawn, or why it cannot start, in a sentence.
pub fn serve(
	addr: SocketAddr,
	unsafe_allowed: bool,
	cors: Cors,
	worker: Arc<IngestWorker>,
) -> Result<impl std::future::Future<Output = ()>, String> {
	if !addr.ip().is_loopback() && !unsafe_allowed {
		return Err(format!(
			"--pmr-upload-addr {addr} is not a loopback address: the upload receives personal data, so it \
			 listens elsewhere only when the node allows unsafe RPC methods (--rpc-methods unsafe, behind an \
			 authenticating proxy)"
		));
	}
	let cannot = |e: &dyn std::fmt::Display| format!("--pmr-upload-addr {addr}: {e}");
	let listener = std::net::TcpListener::bind(addr).map_err(|e| cannot(&e))?;
	listener.set_nonblocking(true).map_err(|e| cannot(&e))?;
	let server = Server::from_tcp(listener).map_err(|e| cannot(&e))?;
	log::info!(target: "pmr-worker", "binary record upload on http://{addr}/records");
	let make = make_service_fn(move |_| {
		let (worker, cors) = (worker.clone(), cors.clone());
		async move {
			Ok::<_, Infallible>(service_fn(move |req| {
				let (worker, cors) = (worker.clone(), cors.clone());
				async move { Ok::<_, Infallible>(handle(req, &worker, &cors).await) }
			}))
		}
	});
	Ok(async move {
		if let Err(e) = server.serve(make).await {
			log::error!(target: "pmr-worker", "binary record upload stopped: {e}");
		}
	})
}

/// Answers a browser's preflight, refuses an origin `--rpc-cors` does not allow, or takes the
/// upload; a browser's answers name its origin.
async fn handle(req: Request<Body>, worker: &Arc<IngestWorker>, cors: &Cors) -> Response<Body> {
	let origin = req.headers().get(ORIGIN).cloned();
	if let Some(origin) = &origin {
		if !origin.to_str().is_ok_and(|o| cors.allows(o)) {
			let message = "this origin may not call the upload (the node's --rpc-cors)".to_string();
			return answer(Err(not_an_upload(StatusCode::FORBIDDEN, message)));
		}
	}
	let mut response = if req.method() == Method::OPTIONS {
		let mut preflight = Response::new(Body::empty());
		*preflight.status_mut() = StatusCode::NO_CONTENT;
		let headers = preflight.headers_mut();
		headers.insert(ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
		headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type, pmr-submission"));
		headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
		preflight
	} else {
		answer(upload(req, worker).await)
	};
	if let Some(origin) = origin {
		response.headers_mut().insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
		response.headers_mut().insert(VARY, HeaderValue::from_static("origin"));
	}
	response
}

/// An answer: the job, or a status with the JSON-RPC method's error object.
fn answer(result: Result<JobId, (StatusCode, Value)>) -> Response<Body> {
	let (status, body) = match result {
		Ok(job) => (StatusCode::OK, json!({ "job": job })),
		Err(e) => e,
	};
	let mut response = Response::new(Body::from(body.to_string()));
	*response.status_mut() = status;
	response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
	response
}

/// A refusal, with the same code, message and data as `pmr_submitRecord`'s.
fn refusal(e: SubmitError) -> (StatusCode, Value) {
	let status = match &e {
		SubmitError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
		SubmitError::Store(_) | SubmitError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
		_ => StatusCode::BAD_REQUEST,
	};
	let error = jsonrpsee::types::ErrorObjectOwned::from(e);
	(status, json!({ "code": error.code(), "message": error.message(), "data": error.data() }))
}

/// A request that is not an upload at all (wrong path, method or header).
fn not_an_upload(status: StatusCode, message: String) -> (StatusCode, Value) {
	(status, json!({ "code": error_code::BAD_UPLOAD, "message": message, "data": "BadUpload" }))
}

async fn upload(req: Request<Body>, worker: &Arc<IngestWorker>) -> Result<JobId, (StatusCode, Value)> {
	if req.uri().path() != "/records" {
		return Err(not_an_upload(StatusCode::NOT_FOUND, "the upload is POST /records".into()));
	}
	if req.method() != Method::POST {
		return Err(not_an_upload(StatusCode::METHOD_NOT_ALLOWED, "the upload is POST /records".into()));
	}
	let head: SubmissionHead = req
		.headers()
		.get(SUBMISSION_HEADER)
		.ok_or_else(|| "the PMR-Submission header is missing".to_string())
		.and_then(|v| serde_json::from_slice(v.as_bytes()).map_err(|e| format!("the PMR-Submission header: {e}")))
		.map_err(|message| not_an_upload(StatusCode::BAD_REQUEST, message))?;
	let limit = worker.max_record_size();
	let declared = req
		.headers()
		.get(CONTENT_LENGTH)
		.and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
	if let Some(size) = declared.filter(|size| *size > limit) {
		return Err(refusal(worker.refuse(SubmitError::TooLarge { size, limit })));
	}
	let mut body = req.into_body();
	let mut data = Vec::with_capacity(declared.unwrap_or(0));
	while let Some(chunk) = body.data().await {
		let chunk = chunk.map_err(|e| not_an_upload(StatusCode::BAD_REQUEST, format!("the body: {e}")))?;
		let size = data.len().saturating_add(chunk.len());
		if size > limit {
			return Err(refusal(worker.refuse(SubmitError::TooLarge { size, limit })));
		}
		data.extend_from_slice(&chunk);
	}
	worker.submit(Submission { format: head.format, request: head.request, data }).await.map_err(refusal)
}

#[cfg(test)]
mod tests {
	use super::Cors;

	#[test]
	fn the_upload_follows_the_nodes_rpc_cors() {
		assert!(Cors(None).allows("https://anywhere.example"), "--rpc-cors all");
		let list = Cors(Some(vec!["https://app.hospital.example".into()]));
		assert!(list.allows("https://app.hospital.example"));
		for other in ["https://evil.example", "https://app.hospital.example:8443", "http://app.hospital.example", ""] {
			assert!(!list.allows(other), "{other}");
		}
		assert!(!Cors(Some(vec![])).allows("https://app.hospital.example"), "--rpc-cors none");
	}
}

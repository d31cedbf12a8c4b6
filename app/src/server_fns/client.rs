//! The client every server function uses from the browser. It attaches the current session token and, when
//! the server answers 401 with `requires_refresh`, refreshes the session once through `window.Clerk` and sends
//! the same request once more: the refresh-and-retry contract, in one place, for every call a page makes.
//!
//! It compiles on the server too (the `#[server]` macro names it there), where it is never called.

use crate::error::ApiError;
use futures_util::Stream;
use http::Method;
use leptos::server_fn::client::browser::BrowserClient;
use leptos::server_fn::client::Client;
use leptos::server_fn::error::FromServerFnError;
use leptos::server_fn::request::browser::{BrowserFormData, BrowserRequest};
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::response::browser::BrowserResponse;
use leptos::server_fn::response::ClientRes;
use leptos::server_fn::Bytes;
use send_wrapper::SendWrapper;
use std::future::Future;

/// Builds the same request again for the one retry (`None`: the body was a stream and cannot be replayed).
type Rebuild = SendWrapper<Box<dyn FnOnce() -> Option<BrowserRequest>>>;

/// A server-function request and the means to send it a second time.
pub struct SessionRequest {
    first: BrowserRequest,
    again: Option<Rebuild>,
}

impl SessionRequest {
    fn new(
        first: BrowserRequest,
        again: impl FnOnce() -> Option<BrowserRequest> + 'static,
    ) -> Self {
        Self {
            first,
            again: Some(SendWrapper::new(Box::new(again))),
        }
    }
}

/// The request builders, instantiated with one error type: a rebuild only needs to know whether it worked.
type B = BrowserRequest;

impl<E: FromServerFnError> ClientReq<E> for SessionRequest {
    type FormData = BrowserFormData;

    fn try_new_req_query(
        path: &str,
        content_type: &str,
        accepts: &str,
        query: &str,
        method: Method,
    ) -> Result<Self, E> {
        let first = <B as ClientReq<E>>::try_new_req_query(
            path,
            content_type,
            accepts,
            query,
            method.clone(),
        )?;
        let (p, c, a, q) = (
            path.to_owned(),
            content_type.to_owned(),
            accepts.to_owned(),
            query.to_owned(),
        );
        Ok(Self::new(first, move || {
            <B as ClientReq<ApiError>>::try_new_req_query(&p, &c, &a, &q, method).ok()
        }))
    }

    fn try_new_req_text(
        path: &str,
        content_type: &str,
        accepts: &str,
        body: String,
        method: Method,
    ) -> Result<Self, E> {
        let first = <B as ClientReq<E>>::try_new_req_text(
            path,
            content_type,
            accepts,
            body.clone(),
            method.clone(),
        )?;
        let (p, c, a) = (path.to_owned(), content_type.to_owned(), accepts.to_owned());
        Ok(Self::new(first, move || {
            <B as ClientReq<ApiError>>::try_new_req_text(&p, &c, &a, body, method).ok()
        }))
    }

    fn try_new_req_bytes(
        path: &str,
        content_type: &str,
        accepts: &str,
        body: Bytes,
        method: Method,
    ) -> Result<Self, E> {
        let first = <B as ClientReq<E>>::try_new_req_bytes(
            path,
            content_type,
            accepts,
            body.clone(),
            method.clone(),
        )?;
        let (p, c, a) = (path.to_owned(), content_type.to_owned(), accepts.to_owned());
        Ok(Self::new(first, move || {
            <B as ClientReq<ApiError>>::try_new_req_bytes(&p, &c, &a, body, method).ok()
        }))
    }

    fn try_new_req_form_data(
        path: &str,
        accepts: &str,
        content_type: &str,
        body: Self::FormData,
        method: Method,
    ) -> Result<Self, E> {
        // `fetch` reads a FormData without consuming it, so the retry can send the same object.
        let data = body.take();
        let first = <B as ClientReq<E>>::try_new_req_form_data(
            path,
            accepts,
            content_type,
            data.clone().into(),
            method.clone(),
        )?;
        let (p, a, c) = (path.to_owned(), accepts.to_owned(), content_type.to_owned());
        Ok(Self::new(first, move || {
            <B as ClientReq<ApiError>>::try_new_req_form_data(&p, &a, &c, data.into(), method).ok()
        }))
    }

    fn try_new_req_multipart(
        path: &str,
        accepts: &str,
        body: Self::FormData,
        method: Method,
    ) -> Result<Self, E> {
        let data = body.take();
        let first = <B as ClientReq<E>>::try_new_req_multipart(
            path,
            accepts,
            data.clone().into(),
            method.clone(),
        )?;
        let (p, a) = (path.to_owned(), accepts.to_owned());
        Ok(Self::new(first, move || {
            <B as ClientReq<ApiError>>::try_new_req_multipart(&p, &a, data.into(), method).ok()
        }))
    }

    fn try_new_req_streaming(
        path: &str,
        accepts: &str,
        content_type: &str,
        body: impl Stream<Item = Bytes> + Send + 'static,
        method: Method,
    ) -> Result<Self, E> {
        let first =
            <B as ClientReq<E>>::try_new_req_streaming(path, accepts, content_type, body, method)?;
        Ok(Self { first, again: None })
    }
}

/// The answer: the live response, or a 401 whose body was read to decide and then not retried.
pub enum SessionResponse {
    Live(BrowserResponse),
    Read { status_text: String, body: String },
}

impl<E: FromServerFnError> ClientRes<E> for SessionResponse {
    fn try_into_string(self) -> impl Future<Output = Result<String, E>> + Send {
        SendWrapper::new(async move {
            match self {
                Self::Live(res) => ClientRes::<E>::try_into_string(res).await,
                Self::Read { body, .. } => Ok(body),
            }
        })
    }

    fn try_into_bytes(self) -> impl Future<Output = Result<Bytes, E>> + Send {
        SendWrapper::new(async move {
            match self {
                Self::Live(res) => ClientRes::<E>::try_into_bytes(res).await,
                Self::Read { body, .. } => Ok(Bytes::from(body)),
            }
        })
    }

    fn try_into_stream(
        self,
    ) -> Result<impl Stream<Item = Result<Bytes, Bytes>> + Send + Sync + 'static, E> {
        use futures_util::future::Either;
        use futures_util::stream;
        match self {
            Self::Live(res) => ClientRes::<E>::try_into_stream(res).map(Either::Left),
            Self::Read { body, .. } => Ok(Either::Right(stream::iter([Ok(Bytes::from(body))]))),
        }
    }

    fn status(&self) -> u16 {
        match self {
            Self::Live(res) => ClientRes::<E>::status(res),
            Self::Read { .. } => 401,
        }
    }

    fn status_text(&self) -> String {
        match self {
            Self::Live(res) => ClientRes::<E>::status_text(res),
            Self::Read { status_text, .. } => status_text.clone(),
        }
    }

    fn location(&self) -> String {
        match self {
            Self::Live(res) => ClientRes::<E>::location(res),
            Self::Read { .. } => String::new(),
        }
    }

    fn has_redirect(&self) -> bool {
        match self {
            Self::Live(res) => ClientRes::<E>::has_redirect(res),
            Self::Read { .. } => false,
        }
    }
}

/// Puts `token` on the request as `Authorization: Bearer` (without one, the `__session` cookie speaks).
fn attach(request: &BrowserRequest, token: Option<&str>) {
    if let Some(token) = token {
        request
            .headers()
            .set("Authorization", &format!("Bearer {token}"));
    }
}

/// The session-aware client: name it with `#[server(client = SessionClient)]`.
pub struct SessionClient;

impl<E, I, O> Client<E, I, O> for SessionClient
where
    E: FromServerFnError,
    I: FromServerFnError,
    O: FromServerFnError,
{
    type Request = SessionRequest;
    type Response = SessionResponse;

    fn send(req: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
        SendWrapper::new(async move {
            let SessionRequest { first, again } = req;
            attach(
                &first,
                crate::hooks::clerk::get_token(None, false).await.as_deref(),
            );
            let res = <BrowserClient as Client<E, I, O>>::send(first).await?;
            if ClientRes::<E>::status(&res) != 401 {
                return Ok(SessionResponse::Live(res));
            }
            let status_text = ClientRes::<E>::status_text(&res);
            let body = ClientRes::<E>::try_into_string(res).await?;
            let refresh =
                serde_json::from_str::<ApiError>(&body).is_ok_and(|e| e.requires_refresh());
            let retry = again.filter(|_| refresh).and_then(|again| (again.take())());
            let Some(retry) = retry else {
                return Ok(SessionResponse::Read { status_text, body });
            };
            attach(
                &retry,
                crate::hooks::clerk::refresh_session().await.as_deref(),
            );
            <BrowserClient as Client<E, I, O>>::send(retry)
                .await
                .map(SessionResponse::Live)
        })
    }

    fn open_websocket(
        path: &str,
    ) -> impl Future<
        Output = Result<
            (
                impl Stream<Item = Result<Bytes, Bytes>> + Send + 'static,
                impl futures_util::Sink<Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, I, O>>::open_websocket(path)
    }

    fn spawn(future: impl Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, I, O>>::spawn(future);
    }
}

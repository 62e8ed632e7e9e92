use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ErrorPanel, Loading};
use crate::AppError;

/// Shows `children` with a resource's value once it has loaded, a spinner until then, and the
/// error panel (with the right HTTP status on the server) when loading failed.
#[component]
pub fn Loaded<T, V, F>(resource: Resource<Result<T, AppError>>, children: F) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=Loading>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => children(value).into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

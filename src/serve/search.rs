//! `brief serve --search`: the search index, made in the background on a thread of its own once
//! the site is served, and again after saves (several saves during one indexing make one more).
//! It runs on its own one-thread pool, so that rebuilds keep the machine's other cores; requests
//! for the index are answered from what it made last, and before the first one is ready the
//! search page says how to get search. When the first index is ready, open search pages reload.

use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::Instant;

use super::http::{AppState, Event};

/// Starts the indexer: it indexes once now, then once per wake-up on `wake`.
pub fn start(state: Arc<AppState>, wake: Receiver<()>) {
    std::thread::spawn(move || {
        let pool = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
            Ok(pool) => pool,
            Err(e) => {
                tell!("error: cannot start the search indexer: {e}");
                return;
            }
        };
        let mut first = true;
        loop {
            let source = state.site.lock().unwrap_or_else(|e| e.into_inner()).search_source();
            if let Some(source) = source {
                let started = Instant::now();
                match pool.install(|| source.index()) {
                    Ok(files) => {
                        let count = files.len();
                        *state.search.write().unwrap_or_else(|e| e.into_inner()) =
                            files.into_iter().map(|f| (f.path.clone(), Arc::new(f))).collect();
                        say!("Search index made ({count} files) in {} ms", started.elapsed().as_millis());
                        if first {
                            let _ = state.events.send(Event::Reload(source.search_pages()));
                            first = false;
                        }
                    }
                    Err(errors) => super::show(&errors.render(super::watch::color())),
                }
            }
            // Wait for the next save; the saves made meanwhile make one more index, not one each.
            if wake.recv().is_err() {
                return;
            }
            while wake.try_recv().is_ok() {}
        }
    });
}

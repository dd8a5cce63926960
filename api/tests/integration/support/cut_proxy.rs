//! A TCP proxy in front of PostgreSQL that a test can cut, as a database restart does: every open
//! connection is closed, and new ones are closed as soon as they are accepted, until it is
//! restored.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct CutProxy {
    url: String,
    cut: Arc<AtomicBool>,
    /// Bumped on every cut: each open connection ends when it moves.
    generation: watch::Sender<u64>,
    accept: tokio::task::JoinHandle<()>,
}

impl CutProxy {
    /// A proxy to the server of `database_url`; [`Self::url`] is the same URL through it.
    pub async fn start(database_url: &str) -> Self {
        let mut url = reqwest::Url::parse(database_url).unwrap();
        let upstream: SocketAddr =
            format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432))
                .parse()
                .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        url.set_port(Some(listener.local_addr().unwrap().port()))
            .unwrap();
        let cut = Arc::new(AtomicBool::new(false));
        let (generation, _) = watch::channel(0);
        let accept = tokio::spawn(accept_loop(
            listener,
            upstream,
            Arc::clone(&cut),
            generation.clone(),
        ));
        Self {
            url: url.to_string(),
            cut,
            generation,
            accept,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Closes every open connection and every new one until [`Self::restore`].
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        self.generation.send_modify(|generation| *generation += 1);
    }

    pub fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

impl Drop for CutProxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    cut: Arc<AtomicBool>,
    generation: watch::Sender<u64>,
) {
    while let Ok((client, _)) = listener.accept().await {
        if cut.load(Ordering::SeqCst) {
            drop(client);
            continue;
        }
        let mut cuts = generation.subscribe();
        tokio::spawn(async move {
            let Ok(server) = TcpStream::connect(upstream).await else {
                return;
            };
            let (mut client, mut server) = (client, server);
            tokio::select! {
                _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                _ = cuts.changed() => {}
            }
        });
    }
}

//! Builds the API's services from the running service's parts (store, cache, catalog, config)
//! and registers them as app data for the handlers.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use letterboxd::client::{Client, ClientConfig};
use model::models::GeneralModel;
use tmdb::{ImageConfig, TmdbConfig, TmdbError};

use crate::cache::SharedCache;
use crate::catalog::CatalogHandle;
use crate::config::{CacheShares, Config};
use crate::limits::Limits;
use crate::limits::{Limit, QuotaBackend, TrustedProxies};
use crate::services::adapters::{
    ApiKey, CacheKv, GENERAL_MODEL, LanguageModel, LanguageModelConfig, ModelsTrainer, RedisLock,
    StoredCatalog,
};
use crate::services::ports::{DescriptionReader, DistributedLock, LocalOnly};
use crate::services::training::Training;
use crate::services::{Ports, Services};
use crate::sources::{FilmSource, TmdbSource};
use crate::store::Store;

/// What the API's services need from the configuration.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    pub letterboxd: ClientConfig,
    /// With Redis, replicas share the scrape lock through it.
    pub redis_url: Option<String>,
    /// Prefix of the lock keys: the cache's, so one Redis can serve several deployments.
    pub redis_prefix: String,
    pub trusted_proxies: TrustedProxies,
    pub rate_limits: Vec<Limit>,
    pub training_slots: usize,
    /// Each in-process cache's bytes (`MEMORY_BUDGET`'s shares; the predictions' 0: every
    /// request trains).
    pub caches: CacheShares,
    /// How long parsed profiles are kept in process in front of the shared cache (0: not at all).
    pub parsed_profile_ttl: Duration,
    /// TMDB, when a token turns it on: export rows the catalog lacks are looked up there.
    pub tmdb: Option<TmdbConfig>,
    /// The language model that reads descriptions; the embedded parser alone without it.
    pub llm: Option<LanguageModelConfig>,
}

impl ApiSettings {
    /// What the API's services take from the configuration; the rest keeps its default.
    pub fn from_config(config: &Config) -> Self {
        let mut settings = Self::new(config.letterboxd.letterboxd_base_url.as_str());
        settings.letterboxd = config.letterboxd.client_config();
        settings.redis_url = config.redis_url.as_ref().map(|url| url.expose().to_owned());
        settings.trusted_proxies = config.trusted_proxies.clone();
        settings.rate_limits = config.rate_limits();
        settings.caches = config.cache_shares();
        settings.tmdb = config.tmdb.client_config();
        settings.llm = config.llm.settings().map(|llm| LanguageModelConfig {
            base_url: llm.base_url.to_string(),
            api_key: ApiKey::new(llm.api_key.expose().to_owned()),
            model: llm.model,
            timeout: llm.timeout,
        });
        settings
    }

    pub fn new(letterboxd_base_url: &str) -> Self {
        Self {
            letterboxd: ClientConfig::for_base_url(letterboxd_base_url),
            redis_url: None,
            redis_prefix: crate::cache::redis::DEFAULT_PREFIX.to_owned(),
            trusted_proxies: TrustedProxies::default(),
            rate_limits: crate::config::default_rate_limits(false),
            training_slots: Training::slots_for_this_machine(),
            caches: CacheShares::default(),
            parsed_profile_ttl: crate::services::profiles::PARSED_PROFILE_TTL,
            tmdb: None,
            llm: None,
        }
    }
}

/// The handlers' app data.
#[derive(Clone)]
pub struct Api {
    pub services: web::Data<Services>,
    pub limits: web::Data<Limits>,
    pub letterboxd: web::Data<Client>,
    /// Kept to swap in newer general models; the services see it as their `Trainer`.
    trainer: Arc<ModelsTrainer>,
    /// The version of the general model being served, if any.
    general_version: Option<i32>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api").finish_non_exhaustive()
    }
}

impl Api {
    pub async fn build(
        settings: ApiSettings,
        store: &Store,
        cache: &SharedCache,
        catalog: &CatalogHandle,
    ) -> anyhow::Result<Self> {
        let client = Client::new(settings.letterboxd)?;
        let films = match settings.tmdb {
            Some(config) => Some(connect_tmdb(config).await?),
            None => None,
        };
        tracing::info!(
            letterboxd_export_upload = true,
            letterboxd_scraper = true,
            tmdb = films.is_some(),
            "film sources: export uploads and the polite Letterboxd scraper{}",
            if films.is_some() {
                "; TMDB resolves export rows the catalog lacks"
            } else {
                "; TMDB off (set TMDB_API_TOKEN to resolve export rows the catalog lacks)"
            }
        );
        let reader = match settings.llm {
            Some(config) => {
                // The host only: a URL can carry credentials.
                let host = url::Url::parse(&config.base_url)
                    .ok()
                    .and_then(|url| url.host_str().map(str::to_owned))
                    .unwrap_or_default();
                tracing::info!(
                    model = %config.model,
                    host = %host,
                    timeout_ms = config.timeout.as_millis(),
                    "descriptions: read by the language model, the embedded parser as fallback"
                );
                let model = LanguageModel::new(config)?.keeping(settings.caches.lookups / 4);
                Some(Arc::new(model) as Arc<dyn DescriptionReader>)
            }
            None => None,
        };
        let general = general_model(store).await;
        let general_version = general.as_ref().map(|(version, _)| *version);
        let trainer = Arc::new(ModelsTrainer::new(general.map(|(_, model)| model)));
        let lock: Arc<dyn DistributedLock> = match &settings.redis_url {
            Some(url) => Arc::new(RedisLock::new(url, &settings.redis_prefix)?),
            None => Arc::new(LocalOnly),
        };
        let services = Services::new(Ports {
            catalog: Arc::new(StoredCatalog {
                handle: catalog.clone(),
                store: store.clone(),
            }),
            source: Arc::new(client.clone()),
            cache: Arc::new(CacheKv(Arc::clone(cache))),
            lock,
            store: Arc::new(store.clone()),
            uploads: Arc::new(store.clone()),
            trainer: Arc::clone(&trainer) as Arc<dyn crate::services::ports::Trainer>,
            training_slots: settings.training_slots,
            score_cache_bytes: settings.caches.scores,
            parsed_profile_bytes: settings.caches.profiles,
            // Three quarters of the lookups' share; the language model's readings take the rest.
            film_lookup_bytes: settings.caches.lookups - settings.caches.lookups / 4,
            parsed_profile_ttl: settings.parsed_profile_ttl,
            films,
            offers: Arc::new(store.clone()),
            reader,
        });
        Ok(Self {
            services: web::Data::new(services),
            // With Redis, every replica charges the same counters.
            limits: web::Data::new(Limits::new(
                QuotaBackend::new(
                    settings.rate_limits,
                    settings.redis_url.as_deref(),
                    &settings.redis_prefix,
                ),
                settings.trusted_proxies,
            )),
            letterboxd: web::Data::new(client),
            trainer,
            general_version,
        })
    }

    /// Checks the store every `every` for a general model newer than the one served and swaps it
    /// in, so `reel train general` reaches running replicas without a restart.
    pub fn spawn_general_model_poller(
        &self,
        store: Store,
        every: Duration,
    ) -> tokio::task::JoinHandle<()> {
        let trainer = Arc::clone(&self.trainer);
        let mut served = self.general_version;
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                match store.latest_model_version(GENERAL_MODEL).await {
                    Ok(Some(latest)) if Some(latest.version) != served => {
                        if let Some((version, model)) = general_model(&store).await {
                            trainer.replace_general(model);
                            served = Some(version);
                        }
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(
                        error = format!("{err:#}"),
                        "cannot check for a newer general model"
                    ),
                }
            }
        })
    }

    /// Loads the latest stored general model and serves it now (the first-run setup, right after
    /// training), rather than at the poller's next tick.
    pub async fn load_general_model(&self, store: &Store) {
        if let Some((_, model)) = general_model(store).await {
            self.trainer.replace_general(model);
        }
    }

    pub fn register(&self, cfg: &mut web::ServiceConfig) {
        cfg.app_data(self.services.clone())
            .app_data(self.limits.clone())
            .app_data(self.letterboxd.clone());
    }
}

/// The latest stored general model; without one (or with an unreadable one) the `general` and
/// `default` models fall back to the personalized forest.
async fn general_model(store: &Store) -> Option<(i32, GeneralModel)> {
    match store.latest_model(GENERAL_MODEL).await {
        Ok(Some(stored)) => match GeneralModel::from_bytes(&stored.bytes) {
            Ok(model) => {
                tracing::info!(version = stored.version, "general model loaded");
                Some((stored.version, model))
            }
            Err(err) => {
                tracing::error!(error = %err, "stored general model unreadable; using the personalized forest");
                None
            }
        },
        Ok(None) => {
            tracing::warn!(
                "no general model stored yet (`reel train general`); using the personalized forest"
            );
            None
        }
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "cannot load the general model");
            None
        }
    }
}

/// TMDB behind the film-source seam. A token TMDB rejects stops start-up with one line naming
/// the variable; TMDB unreachable only delays its image configuration (its defaults serve).
async fn connect_tmdb(config: TmdbConfig) -> anyhow::Result<Arc<dyn FilmSource>> {
    let client = tmdb::Client::new(config)?;
    match TmdbSource::connect(client.clone()).await {
        Ok(source) => Ok(Arc::new(source)),
        Err(TmdbError::BadToken { .. }) => Err(anyhow::anyhow!(
            "TMDB_API_TOKEN: TMDB rejected the token (HTTP 401); set TMDB's API read access token or unset it"
        )),
        Err(err) => {
            tracing::warn!(error = %err, "TMDB unreachable at start; using its default image sizes");
            Ok(Arc::new(TmdbSource::new(client, ImageConfig::default())))
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Serve {
        #[command(flatten)]
        config: Config,
    }

    fn settings(flags: &[&str]) -> ApiSettings {
        let argv = std::iter::once("reel").chain(flags.iter().copied());
        ApiSettings::from_config(&Serve::try_parse_from(argv).unwrap().config)
    }

    /// The serve's client takes the same Letterboxd settings as the jobs', so the scrape queue
    /// (which reads the client's rate) sheds by the configured rate.
    #[test]
    fn the_serves_client_takes_the_configured_letterboxd_limits() {
        let set = settings(&[
            "--letterboxd-base-url",
            "http://127.0.0.1:9",
            "--letterboxd-rate-limit",
            "25",
            "--letterboxd-concurrency",
            "9",
            "--letterboxd-block-cooldown",
            "5m",
            "--letterboxd-user-agent",
            "reel (+https://films.example.org/bot)",
        ]);
        assert_eq!(set.letterboxd.base_url, "http://127.0.0.1:9/");
        assert_eq!(set.letterboxd.requests_per_second, 25);
        assert_eq!(set.letterboxd.max_in_flight, 9);
        assert_eq!(set.letterboxd.block_cooldown, Duration::from_secs(300));
        assert_eq!(
            set.letterboxd.user_agent,
            "reel (+https://films.example.org/bot)"
        );
        // Unset, the scraper's polite defaults.
        let polite = ClientConfig::default();
        let default = settings(&[]).letterboxd;
        assert_eq!(
            (default.requests_per_second, default.max_in_flight),
            (polite.requests_per_second, polite.max_in_flight)
        );
        assert_eq!(default.block_cooldown, polite.block_cooldown);
    }

    #[test]
    fn the_caches_get_their_shares_of_the_memory_budget() {
        let set = settings(&["--memory-budget", "64MiB"]);
        assert_eq!(
            set.caches,
            crate::config::MemoryBudget::new(64 << 20).shares(false)
        );
        let redis = settings(&[
            "--memory-budget",
            "64MiB",
            "--redis-url",
            "redis://127.0.0.1:6379",
            "--score-cache",
            "off",
        ]);
        assert_eq!((redis.caches.scores, redis.caches.memory), (0, 0));
    }
}

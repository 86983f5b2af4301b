//! An index decoded for querying. A single-file index arrives whole; the
//! cluster layout's starts as its engine file and takes cluster (and cell)
//! files as a query asks for them (`Index::add_cluster`,
//! `Index::add_cell`). Every count
//! and reference is checked as it is decoded, so that a damaged or hostile
//! file fails with a message instead of misbehaving later.

use crate::article::format_day;
use crate::cell_file::{CELL_FORMAT, CellFile};
use crate::cluster_file::{CLUSTER_FORMAT, ClusterFile};
use crate::codec::Reader;
use crate::engine_file::{EngineFile, Routing};
use crate::error::Error;
use crate::format::{Articles, FORMAT_NAME, IndexFile, Latest, Listed, Scoring, Terms, check_header};
use crate::tokenize::{Language, Tokenizer};
use crate::weight::Quantizer;

/// A queryable index.
pub struct Index {
    pub(crate) tokenizer: Tokenizer,
    /// The other languages its articles are in (`IndexFile::languages`).
    pub(crate) other_tokenizers: Vec<Tokenizer>,
    pub(crate) scoring: Scoring,
    /// The cluster layout's centroid table (`None` for a single file). A
    /// single file is one slot of `term_tables` and `article_tables`; in the
    /// cluster layout slot `c` is cluster `c`'s postings and articles, and a
    /// query merges those of the clusters it reads (`Index::cluster_terms`),
    /// so that its answer does not depend on what other queries loaded.
    pub(crate) clusters: Option<Routing>,
    /// Decoded term tables; `None` until fetched.
    pub(crate) term_tables: Vec<Option<TermTable>>,
    /// Decoded article tables; `None` until fetched.
    pub(crate) article_tables: Vec<Option<ArticleTable>>,
    /// Clusters whose file could not be had (`Index::give_up`).
    pub(crate) lost_clusters: Vec<u32>,
    /// Sorted hashes and df of the common terms (cluster layout only; a
    /// single file knows every df).
    pub(crate) head: Vec<(u64, u32)>,
    /// The newest articles of each section (`IndexFile::latest`), checked.
    pub(crate) latest: Latest,
}

/// One decoded `Terms`: hashes ascending, each term's df, and its postings
/// as `postings[starts[t]..starts[t + 1]]`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TermTable {
    pub hashes: Vec<u64>,
    pub df: Vec<u32>,
    pub starts: Vec<u32>,
    pub postings: Vec<Posting>,
}

impl Default for TermTable {
    fn default() -> Self {
        TermTable { hashes: Vec::new(), df: Vec::new(), starts: vec![0], postings: Vec::new() }
    }
}

impl TermTable {
    /// A term's df and postings, if the table has it.
    pub fn get(&self, hash: u64) -> Option<(u32, &[Posting])> {
        let t = self.hashes.binary_search(&hash).ok()?;
        Some((self.df[t], &self.postings[self.starts[t] as usize..self.starts[t + 1] as usize]))
    }

    /// The union of two tables of disjoint articles: a term in both keeps
    /// the first's df (both hold the whole index's) and the postings of
    /// both, in article order.
    pub fn merge(self, other: TermTable) -> TermTable {
        let mut merged = TermTable {
            hashes: Vec::with_capacity(self.hashes.len() + other.hashes.len()),
            df: Vec::with_capacity(self.hashes.len() + other.hashes.len()),
            starts: vec![0],
            postings: Vec::with_capacity(self.postings.len() + other.postings.len()),
        };
        let postings = |table: &TermTable, t: usize| {
            table.postings[table.starts[t] as usize..table.starts[t + 1] as usize].to_vec()
        };
        let (mut i, mut j) = (0, 0);
        while i < self.hashes.len() || j < other.hashes.len() {
            let mine = self.hashes.get(i).copied().unwrap_or(u64::MAX);
            let theirs = other.hashes.get(j).copied().unwrap_or(u64::MAX);
            let take_mine = i < self.hashes.len() && (j == other.hashes.len() || mine <= theirs);
            if take_mine {
                merged.hashes.push(mine);
                merged.df.push(self.df[i]);
                if j < other.hashes.len() && theirs == mine {
                    // Postings stay in article order: feedback walks them so.
                    let (a, b) = (postings(&self, i), postings(&other, j));
                    let (mut x, mut y) = (0, 0);
                    while x < a.len() || y < b.len() {
                        if y == b.len() || (x < a.len() && a[x].article < b[y].article) {
                            merged.postings.push(a[x]);
                            x += 1;
                        } else {
                            merged.postings.push(b[y]);
                            y += 1;
                        }
                    }
                    j += 1;
                } else {
                    merged.postings.extend(postings(&self, i));
                }
                i += 1;
            } else {
                merged.hashes.push(theirs);
                merged.df.push(other.df[j]);
                merged.postings.extend(postings(&other, j));
                j += 1;
            }
            merged.starts.push(merged.postings.len() as u32);
        }
        merged
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Posting {
    pub article: u32,
    pub weight: f32,
}

/// One decoded article table (a single file's, or a cluster's).
pub(crate) struct ArticleTable {
    pub first: u32,
    pub columns: Articles,
    pub fingerprints: Vec<u16>,
    /// The first article of each article's story (itself if it stands alone).
    pub story_of: Vec<u32>,
    /// The articles with editors' picks (`Articles::related`): (article,
    /// picks), by article.
    pub pins: Vec<(u32, Vec<u32>)>,
}

/// A file a query needs before it can go on: its path relative to the
/// manifest, and what to do with it once fetched.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NeededFile {
    /// A cluster file of the cluster layout (`layout.rs`).
    Cluster { cluster: u32, path: String },
    /// A cell file of the cluster layout's two-level table.
    Cell { cell: u32, path: String },
}

impl NeededFile {
    pub fn path(&self) -> &str {
        match self {
            NeededFile::Cluster { path, .. } | NeededFile::Cell { path, .. } => path,
        }
    }

    /// ("cluster", 3) or ("cell", 12): which file, as messages say it.
    fn kind(&self) -> (&'static str, u32) {
        match *self {
            NeededFile::Cluster { cluster, .. } => ("cluster", cluster),
            NeededFile::Cell { cell, .. } => ("cell", cell),
        }
    }
}

impl Index {
    /// Parses and decodes an index or manifest from its JSON text.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<Index, Error> {
        Index::from_file(crate::format::from_json(FORMAT_NAME, json)?)
    }

    /// Decodes a single-file index. A manifest of the term-shard layout
    /// (format version 1 with `shards`, no longer written) gets the
    /// rebuild hint: alike writes the cluster layout instead.
    pub fn from_file(file: IndexFile) -> Result<Index, Error> {
        check_header("the index", &file.format, file.version, FORMAT_NAME)?;
        if file.retired_shards {
            return Err(Error::UnsupportedVersion {
                found: file.version,
                supported: crate::manifest::LAYOUT2_VERSION,
            });
        }
        let corrupt = Error::CorruptIndex;
        let scoring = file.scoring;
        check_scoring(&scoring).map_err(corrupt)?;
        let tokenizer = Tokenizer::new(Language::parse(&file.language)?, &file.stop_words)?;
        let other_tokenizers = other_tokenizers(&file.languages)?;
        let count = scoring.articles;
        let latest = check_latest(file.latest, count).map_err(corrupt)?;
        let (Some(articles), Some(terms)) = (file.articles, file.terms) else {
            return Err(corrupt("it lacks `articles` or `terms`, which a single-file index has".into()));
        };
        if articles.url.len() != count as usize {
            return Err(corrupt(msg!(
                "scoring.articles says ",
                count,
                " articles but articles.url has ",
                articles.url.len()
            )));
        }
        let terms = decode_terms(&terms, &scoring, "terms", &[]).map_err(corrupt)?;
        let articles = decode_articles(articles, 0, count, count).map_err(corrupt)?;
        Ok(Index {
            tokenizer,
            other_tokenizers,
            scoring,
            clusters: None,
            term_tables: vec![Some(terms)],
            article_tables: vec![Some(articles)],
            lost_clusters: Vec::new(),
            head: Vec::new(),
            latest,
        })
    }

    /// Decodes the engine file of the cluster layout: a query then asks for
    /// the cluster files nearest to it (`NeededFile::Cluster`).
    pub fn from_engine_file(file: EngineFile) -> Result<Index, Error> {
        let corrupt = Error::CorruptIndex;
        let in_engine_file = |why: String| corrupt(msg!("the engine file: ", why));
        let head = file.head_terms().map_err(in_engine_file)?;
        let routing = file.routing(&head).map_err(in_engine_file)?;
        let scoring = file.scoring;
        let tokenizer = Tokenizer::new(Language::parse(&file.language)?, &file.stop_words)?;
        let other_tokenizers = other_tokenizers(&file.languages)?;
        let latest = check_latest(file.latest, routing.articles()).map_err(corrupt)?;
        // The clusters' slots, then the delta groups' (`Routing::slots`).
        let clusters = routing.slots();
        Ok(Index {
            tokenizer,
            other_tokenizers,
            clusters: Some(routing),
            scoring,
            term_tables: (0..clusters).map(|_| None).collect(),
            article_tables: (0..clusters).map(|_| None).collect(),
            lost_clusters: Vec::new(),
            head,
            latest,
        })
    }

    /// Adds the cluster file a query asked for (`wanted`), as fetched: its
    /// articles, and its postings merged with those of the clusters loaded
    /// before.
    pub fn add_cluster(&mut self, wanted: &NeededFile, file: ClusterFile) -> Result<(), Error> {
        crate::manifest::check_version(Some(&file.format), Some(u64::from(file.version)), CLUSTER_FORMAT)?;
        check_wanted(wanted, ("cluster", file.cluster))?;
        let Some(routing) = &self.clusters else {
            return Err(Error::CorruptIndex("a cluster file came for an index without clusters".into()));
        };
        let cluster = file.cluster as usize;
        if cluster >= routing.slots() {
            return Err(file_error("cluster", cluster, "is not the engine file's".into()));
        }
        let Some((first, end)) = routing.cluster_range(cluster) else {
            return Err(file_error("cluster", cluster, "came before its cell's file".into()));
        };
        if file.first != first {
            return Err(file_error("cluster", cluster, "is not the engine file's".into()));
        }
        let rows = end - file.first;
        let articles = decode_articles(file.articles, file.first, rows, routing.articles())
            .map_err(|e| file_error("cluster", cluster, e))?;
        let mut terms = decode_terms(&file.terms, &self.scoring, "terms", &self.head)
            .map_err(|e| file_error("cluster", cluster, e))?;
        for posting in &mut terms.postings {
            if posting.article >= rows {
                return Err(file_error("cluster", cluster, "names an article of another cluster".into()));
            }
            posting.article += file.first;
        }
        self.term_tables[cluster] = Some(terms);
        self.article_tables[cluster] = Some(articles);
        Ok(())
    }

    /// Adds the cell file a query asked for (`wanted`): the centroids of
    /// the cell's clusters, which the query's second routing step reads.
    pub fn add_cell(&mut self, wanted: &NeededFile, file: CellFile) -> Result<(), Error> {
        crate::manifest::check_version(Some(&file.format), Some(u64::from(file.version)), CELL_FORMAT)?;
        check_wanted(wanted, ("cell", file.cell))?;
        let scoring = &self.scoring;
        let Some(routing) = &mut self.clusters else {
            return Err(Error::CorruptIndex("a cell file came for an index without clusters".into()));
        };
        let cell = file.cell as usize;
        let Some(first) = routing.cell_clusters.as_ref().filter(|first| cell + 1 < first.len()) else {
            return Err(file_error("cell", cell, "is not the engine file's".into()));
        };
        let count = first[cell + 1] - first[cell];
        if file.first_cluster != first[cell] || file.clusters.count != count {
            return Err(file_error(
                "cell",
                cell,
                "does not hold the clusters the engine file gives it".into(),
            ));
        }
        let articles = (routing.top.starts[cell], routing.top.starts[cell + 1]);
        let table = file
            .clusters
            .decode(scoring, articles, u32::MAX, "clusters", &self.head)
            .map_err(|e| file_error("cell", cell, e))?;
        routing.cells[cell] = Some(table);
        Ok(())
    }

    /// The first routing step of a query of these (hash, count) terms:
    /// (cells, clusters) to read, nearest first, and the clusters held back
    /// (`NEXT_CLUSTER_AT`). Flat tables give clusters, two-level ones cells
    /// (`route_in_cells` then gives their clusters); an index of version 1
    /// neither.
    pub(crate) fn route(&self, counts: &[(u64, f32)]) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
        match &self.clusters {
            None => (Vec::new(), Vec::new(), Vec::new()),
            Some(routing) if routing.is_two_level() => {
                (routing.route(counts, &self.scoring).0, Vec::new(), Vec::new())
            }
            Some(routing) => {
                let (read, spare) = routing.route(counts, &self.scoring);
                (Vec::new(), routing.with_deltas(read), spare)
            }
        }
    }

    /// `clusters`, then the delta files of their groups that hold articles.
    pub(crate) fn with_deltas(&self, clusters: Vec<u32>) -> Vec<u32> {
        match &self.clusters {
            Some(routing) => routing.with_deltas(clusters),
            None => clusters,
        }
    }

    /// Queries read every probe the tables allow, however far (tests that
    /// read every cluster, to compare with a single file).
    #[cfg(test)]
    pub(crate) fn read_every_probe(&mut self) {
        if let Some(routing) = &mut self.clusters {
            routing.next_cluster_at = 0.0;
        }
    }

    /// The second routing step: the clusters to read among those of the
    /// loaded ones of `cells`, and those held back.
    pub(crate) fn route_in_cells(&self, cells: &[u32], counts: &[(u64, f32)]) -> (Vec<u32>, Vec<u32>) {
        self.clusters.as_ref().map_or_else(Default::default, |routing| {
            let (read, spare) = routing.route_in_cells(cells, counts, &self.scoring);
            (routing.with_deltas(read), spare)
        })
    }

    /// A term's df and postings as a query that read `article`'s file
    /// sees them: the cluster layout keeps a term table per cluster (its
    /// df the whole index's), a single file one table.
    pub(crate) fn term_near(&self, hash: u64, article: u32) -> Option<(u32, &[Posting])> {
        match &self.clusters {
            Some(routing) => self.term_tables[routing.cluster_of(article)?].as_ref()?.get(hash),
            None => self.term(hash),
        }
    }

    /// Whether the index is of the cluster layout.
    pub(crate) fn is_clustered(&self) -> bool {
        self.clusters.is_some()
    }

    /// The cell files of `cells` neither loaded nor given up.
    pub(crate) fn missing_cells(&self, cells: &[u32]) -> Vec<NeededFile> {
        let Some(routing) = &self.clusters else { return Vec::new() };
        cells
            .iter()
            .filter(|&&c| routing.cells[c as usize].is_none() && !routing.lost_cells.contains(&c))
            .map(|&cell| NeededFile::Cell { cell, path: routing.cell_path(cell) })
            .collect()
    }

    /// The terms of the loaded ones of `clusters`, merged: what a query
    /// reading them scores with.
    pub(crate) fn cluster_terms(&self, clusters: &[u32]) -> TermTable {
        let mut merged = TermTable::default();
        for &c in clusters {
            if let Some(table) = &self.term_tables[c as usize] {
                merged = merged.merge(table.clone());
            }
        }
        merged
    }

    /// The cluster files of `clusters` neither loaded nor given up.
    pub(crate) fn missing_clusters(&self, clusters: &[u32]) -> Vec<NeededFile> {
        let Some(routing) = &self.clusters else { return Vec::new() };
        clusters
            .iter()
            .filter(|&&c| self.article_tables[c as usize].is_none() && !self.lost_clusters.contains(&c))
            .map(|&cluster| NeededFile::Cluster { cluster, path: routing.path(cluster) })
            .collect()
    }

    /// The files that hold the rows of `articles` and are neither loaded
    /// nor given up: each one's cluster (or delta) file, or, in a
    /// two-level table whose cell file of it is not in yet, that cell file
    /// (its clusters are known only then: ask again once it is in).
    pub(crate) fn missing_rows(&self, articles: &[u32]) -> Vec<NeededFile> {
        let Some(routing) = &self.clusters else { return Vec::new() };
        let (mut clusters, mut cells) = (Vec::new(), Vec::new());
        for &article in articles {
            let (ids, id) = match routing.cluster_of(article) {
                Some(c) => (&mut clusters, Some(c as u32)),
                None => (&mut cells, routing.cell_of(article)),
            };
            if let Some(id) = id
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        let mut wanted = self.missing_clusters(&clusters);
        wanted.extend(self.missing_cells(&cells));
        wanted
    }

    /// Goes on without a file that could not be fetched: its terms count
    /// as absent and its articles are passed over, so a query gives fewer
    /// or weaker results instead of none.
    pub fn give_up(&mut self, shard: &NeededFile) {
        match *shard {
            NeededFile::Cell { cell, .. } => {
                if let Some(routing) = &mut self.clusters
                    && !routing.lost_cells.contains(&cell)
                {
                    routing.lost_cells.push(cell);
                }
            }
            NeededFile::Cluster { cluster, .. } => {
                if self.article_tables[cluster as usize].is_none() && !self.lost_clusters.contains(&cluster) {
                    self.lost_clusters.push(cluster);
                }
            }
        }
    }

    /// Number of articles.
    pub fn len(&self) -> usize {
        match &self.clusters {
            // The delta's articles too: `scoring.articles` is the base's.
            Some(routing) => routing.articles() as usize,
            None => self.scoring.articles as usize,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the index comes in many files (the cluster layout's): a
    /// query then runs in steps (`Index::search`).
    pub fn is_multi_file(&self) -> bool {
        self.clusters.is_some()
    }

    /// Terms in the loaded term tables (all of them for a single file).
    pub fn term_count(&self) -> usize {
        self.term_tables.iter().flatten().map(|t| t.hashes.len()).sum()
    }

    /// The index's default language.
    pub fn language(&self) -> Language {
        self.tokenizer.language()
    }

    /// Every language its articles are in: the default first.
    pub fn languages(&self) -> impl Iterator<Item = Language> {
        std::iter::once(&self.tokenizer).chain(&self.other_tokenizers).map(Tokenizer::language)
    }

    /// The tokenizer of `language` if the index holds it, else the default's.
    pub(crate) fn tokenizer_of(&self, language: Option<Language>) -> &Tokenizer {
        self.other_tokenizers.iter().find(|t| Some(t.language()) == language).unwrap_or(&self.tokenizer)
    }

    pub fn scoring(&self) -> &Scoring {
        &self.scoring
    }

    /// A term's df and postings in a single file (the cluster layout's
    /// terms are per cluster: `term_near`, `cluster_terms`).
    pub(crate) fn term(&self, hash: u64) -> Option<(u32, &[Posting])> {
        self.term_tables.first()?.as_ref()?.get(hash)
    }

    /// A term's df if it is known without fetching anything: any term of a
    /// single file, the common terms (the engine file's head) of the
    /// cluster layout.
    pub(crate) fn known_df(&self, hash: u64) -> Option<u32> {
        if self.is_clustered() {
            let at = self.head.binary_search_by_key(&hash, |(h, _)| *h).ok()?;
            Some(self.head[at].1)
        } else {
            self.term(hash).map(|(df, _)| df)
        }
    }

    /// The loaded article whose URL key is `key` and its editors' picks,
    /// if it has any. Only articles that have picks are looked at.
    pub(crate) fn pins_of(&self, key: &str) -> Option<(u32, Vec<u32>)> {
        for table in self.article_tables.iter().flatten() {
            for (article, picks) in &table.pins {
                if crate::text::url_key(&table.columns.url[(article - table.first) as usize]) == key {
                    return Some((*article, picks.clone()));
                }
            }
        }
        None
    }

    /// The newest articles of the section `lowered` (trimmed and
    /// lower-cased), newest first; none for a section the index has not.
    pub(crate) fn latest_of(&self, lowered: &str) -> &[u32] {
        let found = self.latest.sections.iter().position(|s| crate::query::lowered(s) == lowered);
        found.map_or(&[], |at| &self.latest.articles[at])
    }

    /// The row of a loaded article.
    pub(crate) fn article(&self, article: u32) -> Option<ArticleRow<'_>> {
        let slot = match &self.clusters {
            Some(routing) => routing.cluster_of(article)?,
            None => 0,
        };
        let table = self.article_tables[slot].as_ref()?;
        Some(ArticleRow { table, row: (article - table.first) as usize })
    }
}

/// `IndexFile::latest` checked against the index's `count` articles.
fn check_latest(latest: Option<Latest>, count: u32) -> Result<Latest, String> {
    let latest = latest.unwrap_or_default();
    if latest.sections.len() != latest.articles.len() {
        return Err("`latest.sections` and `latest.articles` differ in length".into());
    }
    if latest.articles.iter().flatten().any(|&a| a >= count) {
        return Err("`latest.articles` names an article the index does not have".into());
    }
    Ok(latest)
}

/// One article of a loaded table.
pub(crate) struct ArticleRow<'a> {
    table: &'a ArticleTable,
    row: usize,
}

impl ArticleRow<'_> {
    pub fn url(&self) -> &str {
        &self.table.columns.url[self.row]
    }

    pub fn title(&self) -> &str {
        &self.table.columns.title[self.row]
    }

    pub fn day(&self) -> Option<i32> {
        self.table.columns.day.as_ref()?[self.row]
    }

    pub fn section(&self) -> Option<&str> {
        self.table.columns.section.as_ref()?[self.row].as_deref()
    }

    /// The article's language name; `None` for the index's default.
    pub fn language(&self) -> Option<&str> {
        self.table.columns.language.as_ref()?[self.row].as_deref()
    }

    pub fn image(&self) -> Option<&str> {
        self.table.columns.image.as_ref()?[self.row].as_deref()
    }

    pub fn snippet(&self) -> Option<&str> {
        self.table.columns.snippet.as_ref()?[self.row].as_deref()
    }

    pub fn fingerprint(&self) -> u16 {
        self.table.fingerprints[self.row]
    }

    pub fn story(&self) -> u32 {
        self.table.story_of[self.row]
    }

    /// What a box shows of the article.
    pub fn listed(&self) -> Listed {
        Listed {
            url: self.url().to_string(),
            title: self.title().to_string(),
            score: None,
            date: self.day().map(format_day),
            section: self.section().map(str::to_string),
            image: self.image().map(str::to_string),
            snippet: self.snippet().map(str::to_string),
            pinned: false,
        }
    }
}

/// The tokenizers of an index's other languages. A language this build
/// cannot stem fails as the default language would (`Error::LanguageNotBuilt`
/// names the cargo feature), so that a widget never ranks with the wrong stems.
fn other_tokenizers(languages: &[Vec<String>]) -> Result<Vec<Tokenizer>, Error> {
    let mut tokenizers = Vec::with_capacity(languages.len());
    for language in languages {
        let Some((name, stop_words)) = language.split_first() else {
            return Err(Error::CorruptIndex("`languages` has an empty item".into()));
        };
        tokenizers.push(Tokenizer::new(Language::parse(name)?, stop_words)?);
    }
    Ok(tokenizers)
}

/// A file served under another file's name would fill that other file's
/// slot and leave the wanted one missing for ever: refuse it.
fn check_wanted(wanted: &NeededFile, (kind, number): (&str, u32)) -> Result<(), Error> {
    let (wanted_kind, wanted_number) = wanted.kind();
    if (kind, number) == (wanted_kind, wanted_number) {
        return Ok(());
    }
    Err(Error::CorruptIndex(msg!(
        wanted.path(),
        " holds ",
        kind,
        " file ",
        number,
        ", not ",
        wanted_kind,
        " file ",
        wanted_number
    )))
}

fn file_error(kind: &str, number: usize, why: String) -> Error {
    Error::CorruptIndex(msg!(kind, " file ", number, ": ", why))
}

/// Decodes `Terms`, checking every count and reference. A `head` has
/// hashes and df only. `head` is the engine file's head, as (hash, df)
/// ascending, which the terms of `terms.head` name by place (none in a
/// single file or a head). `scoring` must have passed `check_scoring` (the
/// quantizer panics on a weight range that is not one).
pub(crate) fn decode_terms(
    terms: &Terms,
    scoring: &Scoring,
    field: &str,
    head: &[(u64, u32)],
) -> Result<TermTable, String> {
    let err = |what: String| msg!(field, ": ", what);
    let quantizer = Quantizer::new(scoring.weight_min, scoring.weight_max, scoring.weight_bits);
    let with_postings = !(terms.lengths.is_empty() && terms.articles.is_empty() && terms.weights.is_empty());
    let mut head_in = Reader::new(field, ".head", &terms.head);
    let mut hashes_in = Reader::new(field, ".hashes", &terms.hashes);
    let mut df_in = Reader::new(field, ".df", &terms.df);
    let mut lengths_in = Reader::new(field, ".lengths", &terms.lengths);
    let mut articles_in = Reader::new(field, ".articles", &terms.articles);
    let mut weights_in = Reader::new(field, ".weights", &terms.weights);
    // The terms' names, those of the head first, in the order of their
    // postings. Capacities from the data's own size, never from a count
    // that may lie.
    let mut named: Vec<(u64, u32)> =
        Vec::with_capacity(terms.head.len() + terms.hashes.len().min(terms.count as usize));
    let mut place = 0u64;
    while !head_in.at_end() {
        let gap = head_in.vlq()?;
        if !named.is_empty() && gap == 0 {
            return Err(err(msg!("head term ", named.len(), " repeats the previous one")));
        }
        place = place.saturating_add(gap);
        let known = usize::try_from(place).ok().and_then(|p| head.get(p));
        named.push(
            *known.ok_or_else(|| err(msg!("head term ", named.len(), " is past the engine file's head")))?,
        );
    }
    let from_head = named.len();
    let hash_limit = u64::MAX >> (64 - u32::from(scoring.hash_bits));
    let article_count = scoring.articles;
    let mut hash = 0u64;
    for term in 0..terms.count {
        let gap = hashes_in.vlq()?;
        if term > 0 && gap == 0 {
            return Err(err(msg!("term ", term, " repeats the previous term's hash")));
        }
        hash = hash
            .checked_add(gap)
            .filter(|h| *h <= hash_limit)
            .ok_or_else(|| err(msg!("term ", term, "'s hash is out of range")))?;
        let df = df_in.vlq_u32()?;
        if df == 0 || df > article_count {
            return Err(err(msg!(
                "term ",
                term,
                " has a frequency of ",
                df,
                " among ",
                article_count,
                " articles"
            )));
        }
        named.push((hash, df));
    }
    let mut table = TermTable {
        hashes: Vec::with_capacity(named.len()),
        df: Vec::with_capacity(named.len()),
        starts: vec![0],
        postings: Vec::with_capacity(terms.weights.len()),
    };
    let levels = 1u32 << scoring.weight_bits;
    for (term, &(hash, df)) in named.iter().enumerate() {
        if with_postings {
            let length = lengths_in.vlq_u32()?;
            // df is rounded (see `weight::round_count`), so it may be a
            // little under the number of postings; the articles they point
            // to are what must be sound.
            if length == 0 || length > article_count {
                return Err(err(msg!(
                    "term ",
                    term,
                    " has ",
                    length,
                    " postings among ",
                    article_count,
                    " articles"
                )));
            }
            let mut article: u64 = 0;
            for position in 0..length {
                let gap = articles_in.vlq()?;
                if position > 0 && gap == 0 {
                    return Err(err(msg!("term ", term, " lists an article twice")));
                }
                article += gap;
                if article >= u64::from(article_count) {
                    return Err(err(msg!("term ", term, " points past the last article")));
                }
                let level = u32::from(weights_in.digit()?);
                if level >= levels {
                    return Err(err(msg!("term ", term, " has a weight level above the top one")));
                }
                table.postings.push(Posting { article: article as u32, weight: quantizer.dequantize(level) });
            }
        }
        table.hashes.push(hash);
        table.df.push(df);
        table.starts.push(table.postings.len() as u32);
    }
    for stream in [&head_in, &hashes_in, &df_in, &lengths_in, &articles_in, &weights_in] {
        stream.finish()?;
    }
    if from_head > 0 && from_head < named.len() {
        table = merged(table, from_head)
            .ok_or_else(|| err(msg!("a term named by hash is also named by its place in the head")))?;
    }
    Ok(table)
}

/// The table's terms in ascending hash order (lookups search it), or
/// `None` when a hash is there twice: its first `split` terms (the
/// head's) and the others are each ascending already, and are merged.
fn merged(table: TermTable, split: usize) -> Option<TermTable> {
    let count = table.hashes.len();
    let mut sorted = TermTable {
        hashes: Vec::with_capacity(count),
        df: Vec::with_capacity(count),
        starts: Vec::with_capacity(count + 1),
        postings: Vec::with_capacity(table.postings.len()),
    };
    sorted.starts.push(0);
    let (mut head, mut other) = (0, split);
    while head < split || other < count {
        let term = if other == count || (head < split && table.hashes[head] < table.hashes[other]) {
            head += 1;
            head - 1
        } else {
            other += 1;
            other - 1
        };
        if sorted.hashes.last() == Some(&table.hashes[term]) {
            return None;
        }
        sorted.hashes.push(table.hashes[term]);
        sorted.df.push(table.df[term]);
        let (from, to) = (table.starts[term] as usize, table.starts[term + 1] as usize);
        sorted.postings.extend_from_slice(&table.postings[from..to]);
        sorted.starts.push(sorted.postings.len() as u32);
    }
    Some(sorted)
}

/// Decodes `rows` articles numbered from `first` (of `total`).
fn decode_articles(columns: Articles, first: u32, rows: u32, total: u32) -> Result<ArticleTable, String> {
    let rows = rows as usize;
    let lengths = [
        ("url", Some(columns.url.len())),
        ("title", Some(columns.title.len())),
        ("day", columns.day.as_ref().map(Vec::len)),
        ("section", columns.section.as_ref().map(Vec::len)),
        ("image", columns.image.as_ref().map(Vec::len)),
        ("snippet", columns.snippet.as_ref().map(Vec::len)),
        ("language", columns.language.as_ref().map(Vec::len)),
    ];
    for (name, length) in lengths {
        if let Some(length) = length.filter(|l| *l != rows) {
            return Err(msg!("articles.", name, " has ", length, " entries, not ", rows));
        }
    }
    let fingerprints = decode_fingerprints(&columns.fingerprints, rows)?;
    let story_of = decode_stories(&columns.stories, first, rows as u32, total)?;
    let pins = decode_pins(&columns.related, first, rows as u32, total)?;
    Ok(ArticleTable { first, columns, fingerprints, story_of, pins })
}

/// The editors' picks, checking that each group is one of the table's
/// articles, in ascending order, followed by one or more other real
/// articles, none twice.
fn decode_pins(
    groups: &[Vec<u32>],
    first: u32,
    rows: u32,
    total: u32,
) -> Result<Vec<(u32, Vec<u32>)>, String> {
    // One message for every fault: no formatting code for it in the browser.
    let bad = || {
        "articles.related has a group that is not an article of this file (after the previous \
         group's) followed by one or more other, distinct article ids"
            .to_string()
    };
    let mut pins: Vec<(u32, Vec<u32>)> = Vec::with_capacity(groups.len());
    for group in groups {
        let (&article, picks) = group.split_first().ok_or_else(bad)?;
        let repeated = picks.iter().enumerate().any(|(i, p)| picks[..i].contains(p));
        if !(first..first + rows).contains(&article)
            || pins.last().is_some_and(|(last, _)| *last >= article)
            || picks.is_empty()
            || repeated
            || picks.iter().any(|&p| p >= total || p == article)
        {
            return Err(bad());
        }
        pins.push((article, picks.to_vec()));
    }
    Ok(pins)
}

/// Each article's story leader, from the groups, checking that they are
/// ascending groups of real, distinct articles.
fn decode_stories(groups: &[Vec<u32>], first: u32, rows: u32, total: u32) -> Result<Vec<u32>, String> {
    let mut story_of: Vec<u32> = (first..first + rows).collect();
    for group in groups {
        let leader = *group.first().unwrap_or(&0);
        let ascending = group.windows(2).all(|pair| pair[0] < pair[1]);
        if group.len() < 2 || !ascending || group.iter().any(|&a| a >= total) {
            return Err(msg!(
                "articles.stories has a group (led by ",
                leader,
                ") that is not two or more ascending article ids"
            ));
        }
        for &article in group.iter().filter(|&&a| (first..first + rows).contains(&a)) {
            let slot = &mut story_of[(article - first) as usize];
            if *slot != article {
                return Err(msg!("article ", article, " is in two story groups"));
            }
            *slot = leader;
        }
    }
    Ok(story_of)
}

fn decode_fingerprints(text: &str, count: usize) -> Result<Vec<u16>, String> {
    if text.len() != 3 * count {
        return Err(msg!(
            "articles.fingerprints has ",
            text.len(),
            " characters, not three for each of ",
            count,
            " articles"
        ));
    }
    let mut reader = Reader::new("articles.fingerprints", "", text);
    let mut fingerprints = Vec::with_capacity(count);
    for _ in 0..count {
        let mut value = 0;
        for _ in 0..3 {
            value = value << 6 | u32::from(reader.digit()?);
        }
        fingerprints.push(
            u16::try_from(value)
                .map_err(|_| "articles.fingerprints holds a value above 16 bits".to_string())?,
        );
    }
    Ok(fingerprints)
}

pub(crate) fn check_scoring(scoring: &Scoring) -> Result<(), String> {
    // Messages name the field but not its value: printing floats would
    // pull float formatting into the browser build for one error message.
    let number = |name: &str, value: f32, low: f32, high: f32| {
        if value.is_finite() && (low..=high).contains(&value) {
            Ok(())
        } else {
            Err(msg!("scoring.", name, " is not a number from ", low as u32, " to ", high as u32))
        }
    };
    number("title_weight", scoring.title_weight, f32::MIN_POSITIVE, 100.0)?;
    number("idf_power", scoring.idf_power, f32::MIN_POSITIVE, 100.0)?;
    number("feedback_weight", scoring.feedback_weight, 0.0, 100.0)?;
    number("weight_min", scoring.weight_min, f32::MIN_POSITIVE, 1.0)?;
    number("weight_max", scoring.weight_max, scoring.weight_min, 1.0)?;
    if !(1..=64).contains(&scoring.hash_bits) {
        return Err(msg!("scoring.hash_bits is ", scoring.hash_bits, ", not from 1 to 64"));
    }
    if !(1..=6).contains(&scoring.weight_bits) {
        return Err(msg!("scoring.weight_bits is ", scoring.weight_bits, ", not from 1 to 6"));
    }
    Ok(())
}

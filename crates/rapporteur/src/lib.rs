/*!
rapporteur turns the texts of the Internet Governance Forum (IGF) — workshop proposals, session
takeaways and reports, Dynamic Coalition outputs — into something people can act on.

The library follows the data: [`ingest`] reads files into [`Document`]s, [`analysis`] is the one
text pipeline (language detection, stop words, stemming), [`index`] keeps them in a tantivy
search index, and [`questions`] reads a year's focused policy questions; [`converge`] finds where
sessions agree and disagree, and [`draft`] turns that into thematic messages with their
sources. Every function returns plain, serialisable data; the library never prints and never
exits.

# Example

```no_run
use std::path::{Path, PathBuf};
use rapporteur::index::{Index, SearchRequest};
use rapporteur::ingest::IngestOptions;

let index = Index::open_or_create(Path::new("rapporteur-index"))?;
let report = index.add(&[PathBuf::from("corpora/sample")], &IngestOptions::default(), &mut |_| {})?;
println!("{} documents indexed", report.total);
let results = index.search(&SearchRequest {
    query: "data governance".into(),
    plain: false,
    kind: None,
    year: None,
    track: None,
    limit: 10,
})?;
for hit in results.hits {
    println!("{} {:.2} {}", hit.id, hit.score, hit.title);
}
# Ok::<(), rapporteur::Error>(())
```
*/

#![deny(missing_docs)]

pub mod analysis;
pub mod cluster;
pub mod converge;
pub mod draft;
mod error;
pub mod eval;
pub mod index;
pub mod ingest;
pub mod model;
pub mod questions;
pub mod redact;
pub mod run;
pub mod screen;
pub mod vectors;

pub use error::Error;
pub use model::{Document, Kind, Person, Region, Section, StakeholderGroup};

/// Turns transparent huge pages off for this process and the processes it starts (Linux;
/// elsewhere it does nothing). For a binary whose allocator asks for huge pages (mimalloc
/// does): the kernel then zeroes 2 MiB at the first touch of each, more than the many small
/// vectors of screening use; off, screening 100,000 documents takes ~1.5 s less and ~80 MiB
/// less memory (benches/RESULTS.md). Call it first in `main`; a failure changes nothing but
/// speed, so it is ignored.
pub fn disable_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; no memory is touched.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

//! Writes archive-style test inputs: the PDF fixtures of `tests/fixtures/archive/` and folders
//! of generated HTML pages and PDFs for measuring ingest throughput.
//!
//! ```text
//! cargo run --release -p rapporteur --example archive_gen -- fixtures tests/fixtures/archive
//! cargo run --release -p rapporteur --example archive_gen -- bench /tmp/archive 2000
//! cargo run --release -p rapporteur --example archive_gen -- read /tmp/archive/pdf
//! ```
//!
//! `read` ingests a folder (no index) and prints documents and megabytes per second; `dump`
//! prints the documents of a folder as JSON Lines.
//!
//! Every text here is made up. PDFs use the Helvetica base font with WinAnsi encoding and
//! place each line explicitly, so page layout (columns, hyphenation, running headers) is
//! exactly what the reader has to undo.

use std::path::Path;

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, StringFormat, dictionary};

/// One line of text on a page: x, y, font size, text (ASCII).
type Item = (f32, f32, f32, String);

/// A PDF with the given pages; `image_only` pages draw a small image and no text.
fn pdf(pages: &[Vec<Item>], title: Option<&str>, image_only: bool) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0, 255, 255, 0],
    ));
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font },
        "XObject" => dictionary! { "Im1" => image },
    });
    let mut kids = Vec::new();
    for items in pages {
        let mut ops = Vec::new();
        if image_only {
            ops.push(Operation::new("q", vec![]));
            ops.push(Operation::new(
                "cm",
                vec![
                    612.into(),
                    0.into(),
                    0.into(),
                    792.into(),
                    0.into(),
                    0.into(),
                ],
            ));
            ops.push(Operation::new("Do", vec!["Im1".into()]));
            ops.push(Operation::new("Q", vec![]));
        }
        for (x, y, size, text) in items {
            ops.push(Operation::new("BT", vec![]));
            ops.push(Operation::new("Tf", vec!["F1".into(), (*size).into()]));
            ops.push(Operation::new("Td", vec![(*x).into(), (*y).into()]));
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(
                    text.as_bytes().to_vec(),
                    StringFormat::Literal,
                )],
            ));
            ops.push(Operation::new("ET", vec![]));
        }
        let content = Content { operations: ops }
            .encode()
            .expect("content encodes");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    if let Some(title) = title {
        let info = doc.add_object(dictionary! {
            "Title" => Object::string_literal(title),
        });
        doc.trailer.set("Info", info);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("PDF writes");
    out
}

/// Lines of `size`-point text down from `top`, 1.2 × size apart; an empty line leaves a gap.
fn column(x: f32, top: f32, size: f32, lines: &[&str]) -> Vec<Item> {
    let mut y = top;
    let mut out = Vec::new();
    for line in lines {
        if !line.is_empty() {
            out.push((x, y, size, line.to_string()));
        }
        y -= size * 1.2;
    }
    out
}

fn header(page: u32) -> Vec<Item> {
    vec![
        (72.0, 760.0, 8.0, "IGF 2031 Session Report - WS #40".into()),
        (300.0, 40.0, 9.0, page.to_string()),
    ]
}

/// A session report in two columns over three pages, with hyphenated line ends, a running
/// header and page numbers.
fn report_pdf() -> Vec<u8> {
    let mut p1 = header(1);
    p1.push((
        72.0,
        720.0,
        18.0,
        "IGF 2031 WS #40 Mesh networks after the storm".into(),
    ));
    p1.push((72.0, 690.0, 10.0, "Track: Resilient Infrastructure".into()));
    p1.extend(column(
        72.0,
        660.0,
        10.0,
        &[
            "1. Key Policy Questions and Expectations",
            "- How can mesh networks stay up when the",
            "grid fails for days?",
            "- Who pays for batteries at relay sites?",
            "",
            "2. Summary of Issues Discussed",
            "Speakers described how volunteer net-",
            "works kept clinics online after the storm,",
            "while commercial towers were down for a",
            "week and more.",
        ],
    ));
    p1.extend(column(
        320.0,
        660.0,
        10.0,
        &[
            "Batteries and solar panels at the relay",
            "sites were the main cost. Several par-",
            "ticipants asked regulators to treat relay",
            "sites as critical infrastructure.",
            "",
            "3. Policy Recommendations",
            "Regulators should fund backup power at",
            "community relay sites.",
        ],
    ));
    let mut p2 = header(2);
    p2.extend(column(
        72.0,
        700.0,
        10.0,
        &[
            "Gender Reflections",
            "Three of the five speakers were women.",
        ],
    ));
    let mut p3 = header(3);
    p3.extend(column(
        72.0,
        700.0,
        10.0,
        &["Annex: the participant list is withheld."],
    ));
    pdf(
        &[p1, p2, p3],
        Some("Microsoft Word - ws40-report.docx"),
        false,
    )
}

/// A workshop proposal laid out as the IGF form, one column.
fn proposal_pdf() -> Vec<u8> {
    let mut page = vec![(
        72.0,
        740.0,
        14.0,
        "IGF 2031 WS #77 Flood maps as open data".into(),
    )];
    page.extend(column(
        72.0,
        710.0,
        10.0,
        &[
            "Organizer 1: Kamal Hossain, Delta Data Commons",
            "Speaker 1: Kamal Hossain, Civil Society, Asia-Pacific Group",
            "Speaker 2: Elena Popescu, Government, Eastern European Group",
            "Speaker 3: Pedro Alves, Private Sector, Latin American and Caribbean Group (GRULAC)",
            "",
            "Format",
            "Break-out Group Discussions - 60 Min",
            "",
            "Policy Question(s)",
            "1. Should flood risk maps paid for by the public be released as open",
            "data?",
            "2. How can open maps avoid harming property values in poor areas?",
            "",
            "Description: Flood maps decide where people may build and what insurance",
            "costs. The session asks who should see them.",
        ],
    ));
    pdf(&[page], None, false)
}

/// A Dynamic Coalition output with a large title.
fn dc_pdf() -> Vec<u8> {
    let mut page = vec![(
        72.0,
        730.0,
        16.0,
        "Dynamic Coalition on Community Connectivity".into(),
    )];
    page.extend(column(
        72.0,
        700.0,
        10.0,
        &[
            "Outcome document adopted at IGF 2031.",
            "",
            "Members call on universal service funds to open their calls to",
            "community operators, and on regulators to publish spectrum that",
            "stands unused in rural areas.",
        ],
    ));
    pdf(&[page], None, false)
}

/// A scan: one page with an image and no text layer.
fn scanned_pdf() -> Vec<u8> {
    pdf(&[vec![]], Some("Scanned letter"), true)
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder can be made");
    }
    std::fs::write(path, bytes).expect("file can be written");
}

/// A small deterministic generator (xorshift), so the bench folder is the same every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn sentence(&mut self) -> String {
        let n = 8 + (self.next() % 10) as usize;
        let mut words: Vec<&str> = (0..n).map(|_| self.pick(WORDS)).collect();
        words[0] = self.pick(STARTS);
        format!("{}.", words.join(" "))
    }
}

const STARTS: &[&str] = &[
    "Regulators",
    "Communities",
    "Operators",
    "Speakers",
    "Members",
];
const WORDS: &[&str] = &[
    "data",
    "networks",
    "rural",
    "spectrum",
    "funds",
    "trust",
    "children",
    "platforms",
    "open",
    "access",
    "rights",
    "privacy",
    "standards",
    "security",
    "local",
    "schools",
    "prices",
    "licences",
    "cooperatives",
    "satellites",
    "policy",
    "markets",
    "users",
    "public",
    "digital",
];
const GROUPS: &[&str] = &[
    "Civil Society",
    "Government",
    "Private Sector",
    "Technical Community",
    "Intergovernmental Organization",
];
const REGIONS: &[&str] = &[
    "African Group",
    "Asia-Pacific Group",
    "Eastern European Group",
    "Latin American and Caribbean Group (GRULAC)",
    "Western European and Others Group (WEOG)",
];
const NAMES: &[&str] = &[
    "Amina Diallo",
    "Bruno Costa",
    "Chen Wei",
    "Dana Novak",
    "Emeka Obi",
    "Farah Khan",
    "Greta Lind",
    "Hugo Morel",
];

fn bench_html(rng: &mut Rng, n: u32) -> String {
    let mut people = String::new();
    for i in 1..=4 {
        people.push_str(&format!(
            "<div class=\"field\"><div class=\"field__label\">Speaker {i}:</div> <div>{}, {}, {}</div></div>\n",
            rng.pick(NAMES),
            rng.pick(GROUPS),
            rng.pick(REGIONS)
        ));
    }
    let description: Vec<String> = (0..12).map(|_| rng.sentence()).collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>IGF 2031 WS #{n} | IGF</title>\
         <script>var x = 1;</script></head><body><div class=\"cookie-banner\">Cookies.</div>\
         <header><nav><ul class=\"menu\"><li>Home</li><li>Programme</li></ul></nav></header>\
         <main><h1>IGF 2031 WS #{n} {}</h1>\n{people}<h3>Format</h3><p>Round Table - 90 Min</p>\
         <h3>Policy Question(s)</h3><ol><li>{}</li><li>{}</li></ol>\
         <p><strong>Description:</strong> {}</p><h3>Expected Outcomes</h3><p>{}</p></main>\
         <footer>Secretariat</footer></body></html>",
        rng.sentence(),
        rng.sentence().replace('.', "?"),
        rng.sentence().replace('.', "?"),
        description.join(" "),
        rng.sentence()
    )
}

/// Words wrapped into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

fn bench_pdf(rng: &mut Rng, n: u32) -> Vec<u8> {
    let mut p1 = vec![(
        72.0,
        730.0,
        16.0,
        format!("IGF 2031 WS #{n} session report"),
    )];
    let left: String = (0..8).map(|_| rng.sentence() + " ").collect();
    let right: String = (0..8).map(|_| rng.sentence() + " ").collect();
    for (x, text) in [(72.0, left), (320.0, right)] {
        let lines = wrap(&text, 40);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        p1.extend(column(x, 690.0, 10.0, &refs));
    }
    let body: String = (0..20).map(|_| rng.sentence() + " ").collect();
    let lines = wrap(&body, 90);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let p2 = column(72.0, 740.0, 10.0, &refs);
    pdf(&[p1, p2], None, false)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["fixtures", dir] => {
            let dir = Path::new(dir);
            write(&dir.join("reports/ws-40-report.pdf"), &report_pdf());
            write(&dir.join("proposals/ws-77.pdf"), &proposal_pdf());
            write(&dir.join("dc-community-connectivity.pdf"), &dc_pdf());
            write(&dir.join("scanned-letter.pdf"), &scanned_pdf());
        }
        ["bench", dir, n] => {
            let n: u32 = n.parse().expect("a number of files");
            let dir = Path::new(dir);
            let mut rng = Rng(0x5eed_1234_abcd_0001);
            for i in 0..n {
                write(
                    &dir.join(format!("html/ws-{i:05}.html")),
                    bench_html(&mut rng, i).as_bytes(),
                );
                write(
                    &dir.join(format!("pdf/ws-{i:05}.pdf")),
                    &bench_pdf(&mut rng, i),
                );
            }
        }
        ["read", dir] => {
            /// Counts documents and discards them.
            struct Count(usize);
            impl rapporteur::ingest::Sink for Count {
                fn document(&mut self, _: rapporteur::Document) -> Result<(), rapporteur::Error> {
                    self.0 += 1;
                    Ok(())
                }
            }
            let started = std::time::Instant::now();
            let mut count = Count(0);
            let summary = rapporteur::ingest::ingest(
                &[dir.into()],
                &rapporteur::ingest::IngestOptions::default(),
                &mut count,
            )
            .expect("the folder ingests");
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{} documents from {} files, {:.1} MB in {secs:.2} s: {:.0} documents/s, {:.2} MB/s",
                count.0,
                summary.files,
                summary.bytes as f64 / 1e6,
                count.0 as f64 / secs,
                summary.bytes as f64 / 1e6 / secs
            );
        }
        ["dump", dir] => {
            let (docs, _) = rapporteur::ingest::load(
                &[dir.into()],
                &rapporteur::ingest::IngestOptions::default(),
            )
            .expect("the folder ingests");
            for doc in docs {
                println!(
                    "{}",
                    serde_json::to_string(&doc).expect("a document serialises")
                );
            }
        }
        _ => {
            eprintln!("usage: archive_gen fixtures DIR | bench DIR N | read DIR | dump DIR");
            std::process::exit(2);
        }
    }
}

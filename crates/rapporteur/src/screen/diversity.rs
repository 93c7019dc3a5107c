//! Panel diversity of a proposal: the stakeholder groups and UN regional groups among its
//! organisers and speakers, with a flag for panels drawn from one group or one region.

use serde::Serialize;

use crate::model::{Document, Region, StakeholderGroup};

/// What is missing from a panel's diversity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiversityFlag {
    /// Every organiser and speaker with a known group is from one stakeholder group.
    SingleStakeholderGroup,
    /// Every organiser and speaker with a known region is from one regional group.
    SingleRegion,
    /// Both.
    SingleStakeholderGroupAndRegion,
    /// No stakeholder group or region is recorded for anyone.
    NotRecorded,
}

/// The diversity of one proposal's panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diversity {
    /// Document id.
    pub id: String,
    /// Distinct stakeholder groups, sorted.
    pub stakeholder_groups: Vec<StakeholderGroup>,
    /// Distinct regional groups, sorted.
    pub regions: Vec<Region>,
    /// What is missing, if anything.
    pub flag: Option<DiversityFlag>,
}

/// The panel diversity of a document.
pub fn diversity(doc: &Document) -> Diversity {
    let stakeholder_groups = doc.stakeholder_groups();
    let regions = doc.regions();
    let flag = match (stakeholder_groups.len(), regions.len()) {
        (0, 0) => Some(DiversityFlag::NotRecorded),
        (1, 1) => Some(DiversityFlag::SingleStakeholderGroupAndRegion),
        (1, _) => Some(DiversityFlag::SingleStakeholderGroup),
        (_, 1) => Some(DiversityFlag::SingleRegion),
        _ => None,
    };
    Diversity {
        id: doc.id.clone(),
        stakeholder_groups,
        regions,
        flag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Person};

    fn panel(lines: &[&str]) -> Document {
        let mut d = Document::new("p", Kind::Proposal, "text");
        d.speakers = lines.iter().map(|l| Person::parse(l)).collect();
        d
    }

    #[test]
    fn flags() {
        let diverse = diversity(&panel(&[
            "A, Civil Society, African Group",
            "B, Government, WEOG",
        ]));
        assert_eq!(diverse.flag, None);
        assert_eq!(diverse.regions, [Region::African, Region::Weog]);
        let one_group = diversity(&panel(&[
            "A, Civil Society, African Group",
            "B, civil society, GRULAC",
        ]));
        assert_eq!(one_group.flag, Some(DiversityFlag::SingleStakeholderGroup));
        let one_region = diversity(&panel(&[
            "A, Civil Society, Asia-Pacific Group",
            "B, Private Sector, Asia Pacific",
        ]));
        assert_eq!(one_region.flag, Some(DiversityFlag::SingleRegion));
        let both = diversity(&panel(&[
            "A, Civil Society, WEOG",
            "B, Civil Society, WEOG",
        ]));
        assert_eq!(
            both.flag,
            Some(DiversityFlag::SingleStakeholderGroupAndRegion)
        );
        assert_eq!(
            diversity(&panel(&["Jane Doe, Example University"])).flag,
            Some(DiversityFlag::NotRecorded)
        );
    }
}

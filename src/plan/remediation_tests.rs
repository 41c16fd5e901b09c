//! Remediation by end use: hand-worked cases where the GB 36600-2018
//! category of the target use changes the plan, forbidden uses on a site
//! class, and redevelopment's remediation netted from the auction.

use super::*;
use crate::LandUse;

fn site(id: &str, ha: f64, scores: Scores) -> Candidate {
    Candidate::new(id, ha * 1e4, LandUse::Industrial)
        .with_scores(scores)
        .with_contaminated(true)
}

/// A contaminated 1 ha works, cultural 0.8 or green 0.5, budget 11.5 M.
/// Flat rule (SPEC §5): cultural = (900 + 400) × 1e4 = 13 M, too dear;
/// green = (150 + 400) × 1e4 = 5.5 M: green, objective 0.5. By end use:
/// cultural is Type II, (900 + 200) × 1e4 = 11 M fits: cultural, 0.8.
#[test]
fn type_ii_remediation_makes_a_cultural_district_affordable_where_the_flat_rate_did_not() {
    let s = Scores {
        green: Some(0.5),
        cultural: Some(0.8),
        ..Scores::default()
    };
    for solver in [Solver::exact(), Solver::Fast] {
        let base = PlanProblem::new(vec![site("works", 1.0, s)], vec![])
            .cap_ha(1.0)
            .budget(11.5e6, Costs::default())
            .solver(solver);
        let flat = base.clone().build().unwrap().solve().unwrap();
        assert_eq!(flat.uses, vec![Use::Green], "{solver:?}");
        assert_eq!(flat.cost, 5.5e6);
        let by_use = base
            .remediation(Remediation::default())
            .build()
            .unwrap()
            .solve()
            .unwrap();
        assert_eq!(by_use.uses, vec![Use::Cultural], "{solver:?}");
        assert_eq!(by_use.cost, 11e6);
        assert!((by_use.objective - 0.8).abs() < 1e-12);
    }
}

/// Site-class rules: contaminated industrial sites may not become parks
/// and pay 600/m² for Type II; a clean industrial site and a contaminated
/// logistics site are untouched by the rule.
#[test]
fn a_site_class_rule_forbids_parks_on_contaminated_works_only() {
    let s = Scores {
        green: Some(0.9),
        ecological: Some(0.4),
        ..Scores::default()
    };
    let cands = vec![
        site("a-works", 1.0, s),
        site("b-clean", 1.0, s).with_contaminated(false),
        Candidate::new("c-depot", 1e4, LandUse::Logistics)
            .with_scores(s)
            .with_contaminated(true),
    ];
    let rules = Remediation::default().site(
        SiteRule::new(LandUse::Industrial)
            .forbid(Use::Green)
            .type_ii_per_m2(600.0),
    );
    let p = PlanProblem::new(cands, vec![])
        .cap_ha(3.0)
        .remediation(rules)
        .build()
        .unwrap();
    assert!(!p.is_eligible(0, Use::Green));
    assert!(p.is_eligible(1, Use::Green) && p.is_eligible(2, Use::Green));
    let plan = p.solve().unwrap();
    assert_eq!(plan.uses, vec![Use::Ecological, Use::Green, Use::Green]);
    // costs by hand: eco 60 + 600 (site class Type II); green 150; green 150 + 400 (Type I)
    assert_eq!(plan.cost, (660.0 + 150.0 + 550.0) * 1e4);
    let a = p.remediation_applied(0, Use::Ecological).unwrap();
    assert!(a.by_site_class && a.per_m2 == 600.0);
    assert_eq!(p.remediation_applied(1, Use::Green), None, "a clean site");
}

/// Redevelopment as Type I (the city cleans before a housing auction):
/// the auction of a contaminated 1 ha works brings 1500 − 400 per m² =
/// 11 M, which pays for one 6 M park and not two (12 M).
#[test]
fn type_i_remediation_before_an_auction_is_netted_from_its_revenue() {
    let g = Scores {
        green: Some(0.5),
        ..Scores::default()
    };
    let cands = vec![
        site("works", 1.0, Scores::default()),
        Candidate::new("p1", 4e4, LandUse::Vacant).with_scores(g),
        Candidate::new("p2", 4e4, LandUse::Vacant).with_scores(g),
    ];
    let base = PlanProblem::new(cands, vec![])
        .cap_ha(9.0)
        .budget(0.0, Costs::default());
    let plain = base.clone().build().unwrap().solve().unwrap();
    assert_eq!(plain.uses, vec![Use::Redevelop, Use::Green, Use::Green]);
    let housing = Remediation::default().with_category(Use::Redevelop, SoilCategory::TypeI);
    let p = base.remediation(housing).build().unwrap();
    let plan = p.solve().unwrap();
    assert_eq!(plan.uses[0], Use::Redevelop);
    assert_eq!(
        plan.uses[1..].iter().filter(|&&u| u == Use::Green).count(),
        1
    );
    assert_eq!(plan.revenue, 11e6);
}

/// A negative or NaN remediation cost is refused when the problem is built.
#[test]
fn a_negative_remediation_cost_is_an_error_naming_it() {
    let rules = Remediation::default().site(SiteRule::new(LandUse::Utility).type_i_per_m2(-5.0));
    let e = PlanProblem::new(vec![Candidate::new("a", 1e4, LandUse::Vacant)], vec![])
        .cap_ha(1.0)
        .remediation(rules)
        .build()
        .unwrap_err();
    assert!(
        e.to_string().contains("type I cost on utility sites"),
        "{e}"
    );
}

/// `[plan.remediation]` errors name the key.
#[test]
fn remediation_config_errors_name_the_key() {
    for (text, key) in [
        (
            "[plan.remediation]\ncultural = \"type9\"\n",
            "plan.remediation.cultural",
        ),
        (
            "[plan.remediation]\ntype1_per_m2 = -1\n",
            "plan.remediation.type1_per_m2",
        ),
        (
            "[plan.remediation.sites.factory]\nforbid = []\n",
            "plan.remediation.sites.factory",
        ),
        (
            "[plan.remediation.sites.industrial]\nforbid = [\"parking\"]\n",
            "plan.remediation.sites.industrial.forbid",
        ),
        (
            "[plan.remediation]\ngren = \"type1\"\n",
            "plan.remediation.gren",
        ),
    ] {
        let e = crate::Config::from_toml_str(text, std::path::Path::new("r.toml")).unwrap_err();
        assert_eq!(e.key, key, "{text}: {e}");
    }
}

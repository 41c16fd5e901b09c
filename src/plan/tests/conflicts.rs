//! Infeasibility reports name every constraint at fault, and invalid
//! inputs are errors, not panics.
use super::*;

#[test]
fn locked_area_over_cap_is_named() {
    let p = PlanProblem::new(
        vec![
            lot("a", 80.0, 0.5).with_lock(Lock::In(Use::Green)),
            lot("b", 50.0, 0.5),
        ],
        vec![],
    )
    .lock("b", Lock::In(Use::Ecological))
    .cap_ha(120.0)
    .build()
    .unwrap();
    let c = conflicts_of(p.solve());
    assert_eq!(
        c,
        vec![Conflict::LockedAreaExceedsCap {
            locked_ha: 130.0,
            cap_ha: 120.0
        }]
    );
    let err = p.solve().unwrap_err().to_string();
    assert_eq!(err, "infeasible plan: locked-in area 130 ha > cap 120 ha");
}

#[test]
fn unreachable_minimum_is_named() {
    let p = PlanProblem::new(vec![lot("a", 20.0, 0.5), lot("b", 10.0, 0.5)], vec![])
        .cap_ha(120.0)
        .bound(Use::Green, Bound::min_ha(50.0))
        .build()
        .unwrap();
    let c = conflicts_of(p.solve());
    assert_eq!(
        c,
        vec![Conflict::MinUnreachable {
            use_: Use::Green,
            min_ha: 50.0,
            available_ha: 30.0
        }]
    );
    assert_eq!(
        c[0].to_string(),
        "min green 50 ha but only 30 ha of eligible candidates"
    );
}

#[test]
fn minimums_over_cap_and_min_above_max_are_named() {
    let p = PlanProblem::new(vec![lot("a", 20.0, 0.5), lot("b", 20.0, 0.5)], vec![])
        .cap_ha(10.0)
        .bound(Use::Green, Bound::min_share(0.5))
        .bound(Use::Ecological, Bound::min_ha(6.0))
        .bound(Use::Green, Bound::max_ha(4.0))
        .build()
        .unwrap();
    let c = conflicts_of(p.solve());
    assert!(c.contains(&Conflict::MinAboveMax {
        use_: Use::Green,
        min_ha: 5.0,
        max_ha: 4.0
    }));
    assert!(c.contains(&Conflict::MinimumsExceedCap {
        minimums_ha: 11.0,
        cap_ha: 10.0
    }));
}

#[test]
fn locked_cost_over_budget_is_named() {
    // 12 ha green = 150 × 120,000 = 18 M; the only auctionable factory brings 1,500 × 10,000 = 15 M.
    let p = PlanProblem::new(
        vec![
            lot("park", 12.0, 0.5).with_lock(Lock::In(Use::Green)),
            factory("m", 1.0, 0.1),
        ],
        vec![],
    )
    .cap_ha(100.0)
    .budget(1e6, Costs::default())
    .build()
    .unwrap();
    let c = conflicts_of(p.solve());
    assert_eq!(
        c,
        vec![Conflict::BudgetUnreachable {
            locked_cost: 18e6,
            budget: 1e6,
            max_revenue: 15e6
        }]
    );
    assert_eq!(
        c[0].to_string(),
        "locked conversions cost 18000000 > budget 1000000 + max auction revenue 15000000"
    );
}

#[test]
fn unreachable_construction_target_is_named() {
    let p = PlanProblem::new(vec![lot("a", 20.0, 0.5), factory("m", 10.0, 0.5)], vec![])
        .cap_ha(100.0)
        .construction_target_ha(1000.0, 970.0)
        .build()
        .unwrap();
    let c = conflicts_of(p.solve());
    // Only "a" may become ecological land: 1000 − 20 = 980 > 970.
    assert_eq!(
        c,
        vec![Conflict::ConstructionTargetUnreachable {
            min_after_ha: 980.0,
            target_ha: 970.0
        }]
    );
    assert!(c[0].to_string().contains("leaves 980 ha > target 970 ha"));

    let p = PlanProblem::new(vec![lot("a", 20.0, 0.5), lot("b", 20.0, 0.5)], vec![])
        .cap_ha(15.0)
        .construction_target_ha(1000.0, 980.0)
        .build()
        .unwrap();
    let c = conflicts_of(p.solve());
    assert_eq!(
        c,
        vec![Conflict::ConstructionTargetExceedsCap {
            needed_ha: 20.0,
            room_ha: 15.0,
            cap_ha: 15.0
        }]
    );
}

#[test]
fn ineligible_lock_is_named() {
    let p = PlanProblem::new(
        vec![lot("a", 1.0, 0.5).with_lock(Lock::In(Use::Cultural))],
        vec![],
    )
    .cap_ha(10.0)
    .build()
    .unwrap();
    let c = conflicts_of(p.solve());
    assert_eq!(
        c,
        vec![Conflict::LockedIneligible {
            id: "a".into(),
            use_: Use::Cultural
        }]
    );
}

#[test]
fn solver_proven_infeasibility_names_every_constraint() {
    // Every quick check passes (3 ha <= cap, 4 ha eligible), but the 3 ha
    // green minimum needs both 2 ha lots, 4 ha > cap 3.5 ha.
    let p = PlanProblem::new(vec![lot("a", 2.0, 0.5), lot("b", 2.0, 0.5)], vec![])
        .cap_ha(3.5)
        .bound(Use::Green, Bound::min_ha(3.0))
        .solver(Solver::exact())
        .build()
        .unwrap();
    assert!(p.check_feasibility().is_ok());
    let c = conflicts_of(p.solve());
    let Conflict::Jointly { constraints } = &c[0] else {
        panic!("{c:?}")
    };
    assert_eq!(
        constraints,
        &vec![
            ConstraintRef::Cap { cap_ha: 3.5 },
            ConstraintRef::MinArea {
                use_: Use::Green,
                min_ha: 3.0
            }
        ]
    );
    assert!(c[0].to_string().contains("cap 3.5 ha, min green 3 ha"));
}

#[test]
fn invalid_inputs_are_errors_not_panics() {
    let bad_score = Candidate::new("a", 1e4, LandUse::Vacant).with_scores(Scores {
        green: Some(1.5),
        ..Scores::default()
    });
    let e = PlanProblem::new(vec![bad_score], vec![])
        .cap_ha(1.0)
        .build()
        .unwrap_err();
    assert!(
        matches!(e, PlanError::InvalidCandidate { index: 0, .. }),
        "{e}"
    );
    let nan = Candidate::new("a", f64::NAN, LandUse::Vacant);
    assert!(PlanProblem::new(vec![nan], vec![])
        .cap_ha(1.0)
        .build()
        .is_err());
    for cap in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = PlanProblem::new(vec![], vec![])
            .cap_ha(cap)
            .build()
            .unwrap_err();
        assert!(matches!(e, PlanError::InvalidCap { .. }));
    }
    let pair = TouchingPair {
        a: 0,
        b: 3,
        shared_len_m: 1.0,
    };
    let e = PlanProblem::new(vec![lot("a", 1.0, 0.5)], vec![pair])
        .cap_ha(1.0)
        .build();
    assert!(matches!(e, Err(PlanError::InvalidPair { index: 0, .. })));
    let e = PlanProblem::new(vec![lot("a", 1.0, 0.5), lot("a", 1.0, 0.5)], vec![])
        .cap_ha(1.0)
        .build();
    assert!(matches!(e, Err(PlanError::DuplicateId { .. })));
    let e = PlanProblem::new(vec![lot("a", 1.0, 0.5)], vec![])
        .cap_ha(1.0)
        .lock("zz", Lock::Out)
        .build();
    assert!(matches!(e, Err(PlanError::UnknownLockId { .. })));
}

//! `landstock plan`'s options for issue 18 (plans that survive a weak land
//! market, alternatives, irreplaceability) and the extra solves they need.

use landstock::output::summary::RobustnessSummary;
use landstock::plan::{
    alternatives, irreplaceability, AlternativeOptions, Alternatives, Irreplaceability,
    IrreplaceableOptions, PhaseSpec, PhasedPlan, Plan, PlanError, Problem,
};

/// The options, flattened into `landstock plan`.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct BeyondArgs {
    /// Plans that survive a weak land market: the plan's money stays
    /// non-negative, in every phase, if every auction brings this share
    /// less than expected, e.g. 30% (overrides [plan] revenue_shortfall;
    /// needs a budget). The plain plan is solved too: the summary's
    /// `robustness` and the report give the price of robustness (objective
    /// lost against it).
    #[arg(long, value_parser = share_arg)]
    pub(crate) revenue_shortfall: Option<f64>,
    /// Also find K alternative near-optimal plans (the optimum included),
    /// each within --within of the optimum and differing from every other
    /// on parcels of at least --differ: each is the best plan with one more
    /// MILP row per earlier plan (area whose use differs >= --differ). Per
    /// parcel, how many plans convert it and to what: the plan GeoJSON's
    /// `landstock_selected_in` and `landstock_selected_as`, the CSV's
    /// `selected_in` and `selected_as`, the summary's `alternatives` and a
    /// frequency map in the report. Not with --phases.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) alternatives: Option<u16>,
    /// With --alternatives: each plan's objective is at least this share
    /// below the optimum's bound at most, e.g. 1% (the default).
    #[arg(long, value_parser = share_arg, default_value = "1%", requires = "alternatives")]
    pub(crate) within: f64,
    /// With --alternatives: every two plans differ on parcels of at least
    /// this area, e.g. 5ha (the default), 75mu.
    #[arg(long, value_parser = differ_arg, default_value = "5ha", requires = "alternatives")]
    pub(crate) differ: f64,
    /// Irreplaceability: for every parcel the plan converts, the objective
    /// lost if it were locked out, and for the N best parcels it leaves out
    /// (20 without N), what locking it in would change; one warm-started
    /// re-solve per parcel (and use), in parallel, exact to a 0.1 % gap
    /// (or fast above the exact solver's size), with the proven interval of
    /// the true change. The parcels the plan cannot do without come first:
    /// the summary's `irreplaceability`, the plan GeoJSON's
    /// `landstock_lock_change` and `landstock_irreplaceable`, the CSV's
    /// `lock_change` and `irreplaceable`, and the first section of the
    /// report. Not with --phases.
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "20")]
    pub(crate) irreplaceable: Option<usize>,
}

fn differ_arg(s: &str) -> Result<f64, String> {
    landstock::config::plan::parse_cap_ha(s)
}

fn share_arg(s: &str) -> Result<f64, String> {
    landstock::config::plan::parse_share(s)
}

impl BeyondArgs {
    /// Command-line settings that override the config.
    pub(crate) fn apply(&self, cfg: &mut landstock::Config) {
        if let Some(s) = self.revenue_shortfall {
            cfg.plan.revenue_shortfall = Some(s);
        }
    }
}

/// The plain plan beside the robust one, when the problem has a revenue
/// shortfall: solved the same way (phased when `specs` is given).
pub(crate) fn robustness(
    problem: &Problem,
    plan: &Plan,
    phased: Option<&PhasedPlan>,
    specs: Option<&[PhaseSpec]>,
) -> Result<Option<RobustnessSummary>, PlanError> {
    if problem.revenue_shortfall() <= 0.0 {
        return Ok(None);
    }
    let plain_problem = problem.with_revenue_shortfall(0.0)?;
    Ok(Some(match (phased, specs) {
        (Some(robust), Some(specs)) => {
            let plain = plain_problem.solve_phased(specs)?;
            RobustnessSummary::new(problem, plan, &plain.plan, Some((robust, &plain)))
        }
        _ => RobustnessSummary::new(problem, plan, &plain_problem.solve()?, None),
    }))
}

/// The alternative plans of `--alternatives`, when asked for.
pub(crate) fn find_alternatives(
    args: &BeyondArgs,
    problem: &Problem,
    plan: &Plan,
) -> Result<Option<Alternatives>, PlanError> {
    let Some(k) = args.alternatives else {
        return Ok(None);
    };
    let opts = AlternativeOptions {
        count: k as usize,
        within: args.within,
        differ_ha: args.differ,
    };
    alternatives(problem, plan, &opts).map(Some)
}

/// The irreplaceability of `--irreplaceable [N]`, when asked for.
pub(crate) fn find_irreplaceability(
    args: &BeyondArgs,
    problem: &Problem,
    plan: &Plan,
) -> Result<Option<Irreplaceability>, PlanError> {
    let Some(left_out) = args.irreplaceable else {
        return Ok(None);
    };
    let opts = IrreplaceableOptions {
        left_out,
        ..IrreplaceableOptions::default()
    };
    irreplaceability(problem, plan, &opts).map(Some)
}

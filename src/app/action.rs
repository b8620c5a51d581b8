//! What the app can be asked to do: every key binding, tick and resize
//! becomes one `Action` for `App::update`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextTab,
    PrevTab,
    GoTab(u8),
    OpenLookup,
    OpenHelp,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open what is selected, or save the text box.
    Open,
    /// Esc: close the top popup.
    Back,
    Refresh,
    CycleSort,
    CycleFilter,
    CycleDays,
    /// Customers tab: next RFM segment (or all).
    CycleSegment,
    /// Customers tab: next member tier (or all).
    CycleTier,
    ToggleReveal,
    AddNote,
    AddTag,
    RemoveTag,
    ToggleBlacklist,
    InsertText(String),
    Backspace,
    ClearText,
    Resize(u16, u16),
    /// `i`: import files (asks for a path, or shows the running import).
    OpenImport,
    /// Tab in the path box: complete the path.
    Complete,
    /// Time passed: take in what a background import reported.
    Tick,
    /// Card: log a complaint against this customer.
    NewComplaint,
    /// Complaint list or detail: move it to another status.
    MoveComplaint,
    /// Card: spend points.
    Redeem,
    /// Card: add or remove points by hand.
    Adjust,
    /// Card: this customer's points ledger.
    OpenLedger,
    /// Complaints tab: the analysis view.
    OpenAnalysis,
    /// The shop analysis view (数据分析).
    OpenShopAnalysis,
    /// Orders tab: find an order by its number.
    FindOrder,
    /// Card: ←/→ go from one of its lists to the next (orders, complaints, notes).
    NextSection,
    PrevSection,
    /// Card: change the selected note (its earlier text is kept).
    EditNote,
    /// Card: delete the selected note (asks first; it stays in the history).
    DeleteNote,
    /// Card: the customer's history (blacklist changes, notes' earlier texts).
    OpenHistory,
    /// Card: merge the customer who may be the same person (asks first).
    MergeSuggested,
    /// Card: not the same person; never suggested again.
    DeclineMerge,
    /// Card: undo the latest merge into this customer (asks first).
    UndoMerge,
    /// Import summary: undo the import's batches (asks first).
    UndoImport,
    /// A complaint (list or detail), or a repeat complainer: the customer's card.
    OpenCustomer,
    /// A question on screen: yes.
    ConfirmYes,
    /// A question on screen: no (any key not bound there).
    ConfirmNo,
    /// Today (or the card): the selected follow-up is done (a form asks
    /// what came of it and a satisfaction score).
    FinishFollowup,
    /// Today (or the card): skip the selected follow-up (a box asks why).
    SkipFollowup,
    /// Card: add a follow-up (due date, reason, note).
    AddFollowup,
    /// Card: record a satisfaction score heard in a chat, review or survey.
    AddFeedback,
    /// Card: erase this person (kehu privacy erase), behind a typed word.
    ErasePerson,
    /// Today or the points tab: the campaigns and what they brought back.
    OpenCampaigns,
    NextField,
    PrevField,
    ChoiceNext,
    ChoicePrev,
}

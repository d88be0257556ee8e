import { registry } from "@web/core/registry";
import { qmsScreenshot } from "@qms_crm_evidence/../tests/tours/qms_tour_utils";

/**
 * ISO 9001 8.2.1 e / 8.7.1 c: a recall campaign is scoped (every customer who
 * received the affected lot) and its notices are started.
 */
registry.category("web_tour.tours").add("qms_recall_campaign_tour", {
    steps: () => [
        {
            content: "Find the customers who received the lot",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_scope]",
            run: "click",
        },
        {
            content: "The campaign is scoped",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Scoped)",
        },
        {
            content: "See the customers in scope",
            trigger: ".o_form_view .o_notebook a.nav-link[name=lines]",
            run: "click",
        },
        {
            content: "The customer and its delivery are in scope",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row:contains(QMS Recall Customer):contains(TOUR-LOT-7)",
        },
        qmsScreenshot("recall_campaign_scoped"),
        {
            content: "Start sending the notices",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_start_notifying]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The notices are being sent",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Notifying)",
        },
    ],
});

/**
 * The customer opens the notice from the link in their email (token, no
 * login) and acknowledges it.
 */
registry.category("web_tour.tours").add("qms_recall_ack_tour", {
    steps: () => [
        {
            content: "The notice names the lot",
            trigger: ".o_portal_qms_recall:contains(TOUR-LOT-7)",
        },
        {
            content: "Quantity still held",
            trigger: ".o_portal_qms_recall input[name=qty_on_hand]",
            run: "edit 4",
        },
        {
            content: "Return the product",
            trigger: ".o_portal_qms_recall input[name=remedy][value=return]",
            run: "click",
        },
        {
            content: "Note",
            trigger: ".o_portal_qms_recall textarea[name=note]",
            run: "edit Four valves are isolated in our store room.",
        },
        qmsScreenshot("portal_recall_notice"),
        {
            content: "Acknowledge",
            trigger: ".o_portal_qms_recall button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked, and the answer is shown",
            trigger: ".o_portal_qms_recall .alert-success:contains(acknowledgement has been recorded)",
        },
        {
            content: "The form is gone",
            trigger: ".o_portal_qms_recall:not(:has(form)) .alert-info:contains(still on hand)",
        },
    ],
});

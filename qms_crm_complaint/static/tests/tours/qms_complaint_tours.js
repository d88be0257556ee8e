import { registry } from "@web/core/registry";
import { qmsScreenshot } from "@qms_crm_evidence/../tests/tours/qms_tour_utils";

/**
 * ISO 9001 8.2.1 c: a customer submits a complaint about an order in the
 * portal (helpdesk_mgmt's /new/ticket form, extended by qms_crm).
 */
registry.category("web_tour.tours").add("qms_portal_complaint_tour", {
    steps: () => [
        {
            content: "It is a complaint",
            trigger: "form select[name=qms_feedback_kind]",
            run: "select complaint",
        },
        {
            content: "About my order",
            trigger: "form select[name=sale_order_id]",
            run: "selectByLabel QMS-TOUR-CPL",
        },
        {
            content: "Subject",
            trigger: "form input[name=subject]",
            run: "edit Pump arrived with a cracked housing",
        },
        {
            content: "What happened",
            trigger: "form textarea[name=description]",
            run: "edit The pump delivered yesterday has a cracked housing and leaks.",
        },
        qmsScreenshot("portal_new_complaint"),
        {
            content: "Send it",
            trigger: "form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The customer sees the complaint and its reference",
            trigger: "body:contains(Pump arrived with a cracked housing):contains(Complaint)",
        },
        qmsScreenshot("portal_complaint_submitted"),
    ],
});

/**
 * Staff resolve the complaint through the service-recovery playbook: a
 * complaint closes only with a root cause and a resolution (8.5.5 / 10.2).
 */
registry.category("web_tour.tours").add("qms_complaint_playbook_tour", {
    steps: () => [
        {
            content: "Open the new complaint",
            trigger: ".o_list_view .o_data_row:contains(Pump arrived with a cracked housing) .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Acknowledge it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_qms_acknowledge]",
            run: "click",
        },
        {
            content: "Open the Complaint tab",
            trigger: ".o_form_view:not(:has(.o_statusbar_buttons button[name=action_qms_acknowledge])) .o_notebook a.nav-link[name=qms_complaint]",
            run: "click",
        },
        {
            content: "Stamp: apologised",
            trigger: ".o_form_view button[name=action_qms_apologise]",
            run: "click",
        },
        {
            content: "Stamp: resolved",
            trigger: ".o_form_view:not(:has(button[name=action_qms_apologise])) button[name=action_qms_resolve]",
            run: "click",
        },
        {
            content: "More stages",
            trigger: ".o_form_view:not(:has(button[name=action_qms_resolve])) .o_statusbar_status .dropdown-toggle",
            run: "click",
        },
        {
            content: "Try to close it without root cause and resolution",
            trigger: ".dropdown-menu .dropdown-item:contains(Done)",
            run: "click",
        },
        {
            content: "Closing is refused with the reason",
            trigger: ".modal .o_error_dialog:contains(root cause and the resolution)",
        },
        {
            content: "Close the message",
            trigger: ".modal .o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Root cause",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=qms_root_cause_id] input",
            run: "edit Product defect",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Product defect)",
            run: "click",
        },
        {
            content: "Resolution given to the customer",
            trigger: ".o_form_view .o_field_widget[name=qms_resolution] textarea",
            run: "edit Replacement pump shipped by express; the cracked one is collected.",
        },
        {
            content: "Save and close",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The complaint is closed; the customer is asked to confirm",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
        {
            content: "Waiting for the customer's confirmation",
            trigger: ".o_form_view .o_field_widget[name=qms_confirmation_state]:contains(Awaiting Customer)",
        },
        qmsScreenshot("complaint_playbook"),
    ],
});

import { registry } from "@web/core/registry";
import { qmsScreenshot } from "@qms_crm_evidence/../tests/tours/qms_tour_utils";

/**
 * ISO 9001 8.2.3: a requirement is recorded on a quotation, the order cannot
 * be confirmed until the requirement is reviewed and approved, then it can.
 * Starts on the quotation QMS-TOUR-GATE made by the Python test.
 */
registry.category("web_tour.tours").add("qms_requirement_gate_tour", {
    steps: () => [
        {
            content: "Open the requirements of the quotation",
            trigger: ".o_form_view button[name=action_qms_view_requirements]",
            run: "click",
        },
        {
            content: "Add a requirement",
            trigger: ".o_control_panel .o_list_button_add, .o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Delivery within 5 working days",
        },
        {
            content: "The exact wording agreed with the customer",
            trigger: ".o_form_view .o_field_widget[name=description] textarea",
            run: "edit Goods are delivered within 5 working days of the order.",
        },
        {
            content: "The customer gave it in writing",
            trigger: ".o_form_view .o_field_widget[name=documented] input",
            run: "click",
        },
        {
            content: "The customer is the quotation's",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(QMS Tour Customer)",
        },
        {
            content: "Submit it for review",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The requirement is in review",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(In Review)",
        },
        qmsScreenshot("requirement_form"),
        {
            content: "Back to the quotation",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(QMS-TOUR-GATE)",
            run: "click",
        },
        {
            content: "The quotation says why it cannot be confirmed",
            trigger: ".o_form_view .alert-danger:contains(cannot be confirmed yet):contains(no approved review)",
        },
        qmsScreenshot("order_gate_blocked"),
        {
            content: "Try to confirm anyway",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Confirmation is refused with the reason",
            trigger: ".modal .o_error_dialog:contains(cannot be confirmed):contains(8.2.3)",
        },
        {
            content: "Close the message",
            trigger: ".modal .o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Review the requirements",
            trigger: ".o_form_view:not(:has(.modal)) button[name=action_qms_new_review]",
            run: "click",
        },
        {
            content: "The review lists the requirement",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row:contains(Delivery within 5 working days) .o_data_cell[name=can_meet]",
            run: "click",
        },
        {
            content: "Open the answers",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=can_meet] input",
            run: "click",
        },
        {
            content: "We can meet it",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(Yes)",
            run: "click",
        },
        {
            content: "The answer is in the line",
            trigger:
                ".o_form_view .o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=can_meet] input:value(Yes)",
        },
        {
            content: "Leave the line",
            trigger: ".o_form_view .o_field_widget[name=outcome_note] textarea",
            run: "click",
        },
        {
            // the line is committed before the review is saved and approved
            content: "The line keeps the answer",
            trigger:
                ".o_form_view .o_field_widget[name=line_ids] .o_data_row:not(.o_selected_row) .o_data_cell[name=can_meet]:contains(Yes)",
        },
        {
            content: "Conclusion of the review",
            trigger: ".o_form_view .o_field_widget[name=outcome_note] textarea",
            run: "edit Capacity checked with the warehouse.",
        },
        {
            content: "Approve the review",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "The review is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Approved)",
        },
        qmsScreenshot("requirement_review_approved"),
        {
            content: "Back to the quotation",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(QMS-TOUR-GATE)",
            run: "click",
        },
        {
            content: "Nothing is missing any more",
            trigger: ".o_form_view:not(:has(.alert-danger:contains(cannot be confirmed yet))) .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The quotation is now a sales order",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});
